/* Capacity: ask a question only when its condition is met, live, as the user answers on the domain page.
 * Without this script every question is shown, each conditional one with its "Answer only if …" note, and the
 * server still requires only the questions whose condition is met. A hidden question keeps any answer it had.
 * Also: in a multiple-choice question, "None of these" (and "Not applicable") exclude the options, and the
 * "Not applicable" box of a number or text question empties its box (the server refuses both at once). */
(function () {
  "use strict";
  var form = document.querySelector("form.questionnaire");
  if (!form) return;
  var items = Array.prototype.slice.call(form.querySelectorAll("fieldset.indicator[data-code]"));
  var byCode = {};
  items.forEach(function (fs) { byCode[fs.dataset.code] = fs; });
  var commaIsDecimal = document.documentElement.lang !== "en";

  function checked(fs, prefix) {
    return Array.prototype.slice.call(fs.querySelectorAll('input[name^="' + prefix + '__"]:checked'))
      .map(function (el) { return el.value; });
  }
  function number(text) {
    text = String(text).replace(/[\s\u00a0\u202f]/g, "");
    text = commaIsDecimal ? text.replace(",", ".") : text.replace(/,/g, "");
    return /^-?[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : null;
  }
  // The answer a question has on the page now, as the server's conditions read it (null: none, or not applicable).
  function raw(fs) {
    var type = fs.dataset.type, values;
    if (type === "scale") {
      values = checked(fs, "level");
      return values.length && values[0] !== "na" ? Number(values[0]) : null;
    }
    if (fs.querySelector('input[name^="na__"]:checked')) return null;
    if (type === "yes_no" || type === "single") {
      values = checked(fs, "value");
      return values.length && values[0] !== "-na-" ? values[0] : null;
    }
    if (type === "multiple") {
      values = checked(fs, "value");
      if (!values.length || values.indexOf("-na-") >= 0) return null;
      return values.filter(function (v) { return v !== "-none-"; });
    }
    if (type === "number") {
      var box = fs.querySelector('input[name^="value__"]');
      return box ? number(box.value) : null;
    }
    return null;
  }
  function met(operator, value, answer) {
    if (answer === null) return false;
    if (operator === "equals") return String(answer) === String(value);
    if (operator === "any_of") return value.some(function (v) { return String(v) === String(answer); });
    if (operator === "includes") return Array.isArray(answer) && answer.indexOf(value) >= 0;
    if (operator === "at_least") return Number(answer) >= Number(value);
    if (operator === "at_most") return Number(answer) <= Number(value);
    return false;
  }
  // In questionnaire order, so a question hidden above hides the ones that depend on it (as on the server).
  function update() {
    items.forEach(function (fs) {
      var code = fs.dataset.showIf;
      if (!code) return;
      var source = byCode[code], shown;
      if (source) {
        var value;
        try { value = JSON.parse(fs.dataset.showValue); } catch (e) { value = null; }
        shown = !source.hidden && met(fs.dataset.showOperator, value, raw(source));
      } else {
        shown = fs.dataset.showMet === "1";  // its source is on another page: as the server found it
      }
      fs.hidden = !shown;
    });
  }
  // Before the autosave script reads the question (capture phase): exclusive boxes, and "not applicable" boxes.
  form.addEventListener("change", function (event) {
    var el = event.target, fs = el.closest && el.closest("fieldset.indicator");
    if (!fs || !el.name) return;
    if (el.type === "checkbox" && el.name.indexOf("value__") === 0 && el.checked) {
      fs.querySelectorAll('input[type=checkbox][name="' + el.name + '"]').forEach(function (other) {
        if (other !== el && (el.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) other.checked = false;
      });
    }
    if (el.type === "checkbox" && el.name.indexOf("na__") === 0 && el.checked) {
      var box = fs.querySelector('[name^="value__"]');
      if (box) box.value = "";
    }
  }, true);
  form.addEventListener("input", function (event) {
    var el = event.target, fs = el.closest && el.closest("fieldset.indicator");
    if (!fs || !el.name || el.name.indexOf("value__") !== 0 || el.type === "checkbox" || el.type === "radio") return;
    var na = fs.querySelector('input[name^="na__"]');
    if (na && el.value !== "") na.checked = false;
  }, true);
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
