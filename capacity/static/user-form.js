/* Capacity: the account form shows only the fields of the chosen role — the organisation for
   organisation staff, the assigned organisations for mentors, the municipalities for both, none of these
   for managers and administrators.
   Hidden fields are also disabled, so they are not sent; switching back shows them as they were.
   Without this script every field shows and the server refuses a value in another role's field;
   a field the server refused stays in view when the page opens, so that it can be corrected. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-role-form]");
  if (!form) return;
  var role = form.querySelector("select[name='role']");
  if (!role) return;
  // data-for-role names one role; data-for-roles several, space-separated (the municipalities: staff and mentors).
  var parts = form.querySelectorAll("[data-for-role], [data-for-roles]");

  function isFor(part, chosen) {
    if (!chosen) return false;  // no role chosen yet: no role's fields ("".split(" ") would match every part)
    if (part.getAttribute("data-for-role") === chosen) return true;
    var roles = part.getAttribute("data-for-roles");
    return roles !== null && roles.split(" ").indexOf(chosen) !== -1;
  }

  function show(opening) {
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      var relevant = isFor(part, role.value) ||
        (opening === true && part.querySelector(".field--error") !== null);
      part.hidden = !relevant;
      var fields = part.querySelectorAll("input, select, textarea");
      for (var j = 0; j < fields.length; j++) fields[j].disabled = !relevant;
    }
  }

  role.addEventListener("change", show);
  show(true);
})();
