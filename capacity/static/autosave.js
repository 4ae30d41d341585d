/* Capacity: save every answer on the server as it is given.
 * Without this script the page still works (a save button per domain).
 * Unsaved answers wait in this browser (localStorage) when the connection or the
 * login is lost, and are saved as soon as the page is opened again after logging in. */
(function () {
  "use strict";
  var form = document.querySelector("form.questionnaire");
  if (!form || !form.dataset.autosave) return;
  var csrf = form.querySelector('input[name="csrf_token"]').value;
  var storeKey = "capacity.pending:" + location.pathname;
  var msg = form.dataset;

  function pending() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function setPending(code, value) {
    var all = pending();
    if (value) { all[code] = value; } else { delete all[code]; }
    try {
      if (Object.keys(all).length) { localStorage.setItem(storeKey, JSON.stringify(all)); }
      else { localStorage.removeItem(storeKey); }
    } catch (e) { /* storage full or disabled: the server save is still tried */ }
  }
  function field(fs, prefix) { return fs.querySelector('[name^="' + prefix + '__"]'); }
  function typed(fs) { return (fs.dataset.type || "scale") !== "scale"; }
  function values(fs) {
    var v = {
      comment: field(fs, "comment").value,
      evidence_url: field(fs, "evidence_url").value,
      revision: fs.dataset.revision  // "0" for a first answer: the server requires a revision on every save
    };
    if (!typed(fs)) {
      var checked = fs.querySelector('input[type=radio]:checked');
      v.level = checked ? checked.value : "";
      return v;
    }
    // Any other question type: every value its fields hold (one per ticked option), and the "not applicable" box.
    v.value = [];
    fs.querySelectorAll('[name^="value__"]').forEach(function (el) {
      if (el.type !== "radio" && el.type !== "checkbox") { v.value.push(el.value); } else if (el.checked) { v.value.push(el.value); }
    });
    var na = field(fs, "na");
    v.na = na && na.checked ? "1" : "";
    return v;
  }
  // A stored answer (a 409's "theirs": the value as the server keeps it) as the values the page's fields post.
  function storedValues(fs, theirs) {
    var type = fs.dataset.type;
    if (theirs.na) return (type === "number" || type === "text") ? [] : ["-na-"];
    if (theirs.value === null || theirs.value === undefined) return [];
    if (type === "multiple") {
      try { var codes = JSON.parse(theirs.value); return codes.length ? codes : ["-none-"]; } catch (e) { return []; }
    }
    return [String(theirs.value)];
  }
  function apply(fs, v) {
    if (typed(fs)) {
      var list = Array.isArray(v.value) ? v.value : storedValues(fs, v);
      fs.querySelectorAll('[name^="value__"]').forEach(function (el) {
        if (el.type === "radio" || el.type === "checkbox") { el.checked = list.indexOf(el.value) >= 0; }
        else { el.value = list.length ? list[0] : ""; }
      });
      var box = field(fs, "na");
      if (box) box.checked = Array.isArray(v.value) ? v.na === "1" : (!!v.na && (fs.dataset.type === "number" || fs.dataset.type === "text"));
    } else {
      fs.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = (r.value === String(v.level || (v.na ? "na" : ""))); });
      if (v.na) { var na = fs.querySelector('input[type=radio][value="na"]'); if (na) na.checked = true; }
    }
    field(fs, "comment").value = v.comment || "";
    field(fs, "evidence_url").value = v.evidence_url || "";
    form.dispatchEvent(new Event("change"));  // conditions.js shows or hides what depends on this answer
  }
  function setRevision(fs, revision) {
    fs.dataset.revision = String(revision);
    field(fs, "revision").value = String(revision);
  }
  function status(fs, text, kind) {
    var el = fs.querySelector(".save-status");
    el.textContent = text;
    el.className = "save-status" + (kind ? " save-status--" + kind : "");
    return el;
  }
  function conflict(fs, data) {
    var el = status(fs, msg.msgStale + " " + describe(data.theirs) + (data.who ? " (" + data.who + ")" : ""), "error");
    var keep = document.createElement("button");
    keep.type = "button"; keep.className = "button"; keep.textContent = msg.msgKeep;
    keep.addEventListener("click", function () { setRevision(fs, data.theirs.revision); save(fs); });
    var take = document.createElement("button");
    take.type = "button"; take.className = "button"; take.textContent = msg.msgTake;
    take.addEventListener("click", function () {
      apply(fs, data.theirs); setRevision(fs, data.theirs.revision); setPending(fs.dataset.code, null);
      status(fs, msg.msgSaved, "ok");
    });
    el.appendChild(document.createTextNode(" "));
    el.appendChild(keep);
    el.appendChild(document.createTextNode(" "));
    el.appendChild(take);
  }
  function describe(v) {
    var text = v.display ? v.display : (v.na ? "—" : (v.level ? String(v.level) : "—"));
    return v.comment ? text + " „" + v.comment + "“" : text;
  }
  function loginLink(fs) {
    var el = status(fs, msg.msgLogin + " ", "error");
    var a = document.createElement("a");
    a.href = msg.login; a.textContent = "→";
    el.appendChild(a);
  }
  function updateProgress(progress) {
    Object.keys(progress || {}).forEach(function (domain) {
      var el = document.querySelector('[data-progress="' + domain + '"]');
      if (!el) return;
      el.textContent = progress[domain][0] + "/" + progress[domain][1];
      // The domain's "complete" badge, as the page shows it after a reload.
      var badge = el.parentNode.querySelector("[data-complete]");
      var complete = progress[domain][0] === progress[domain][1];
      if (complete && !badge) {
        badge = document.createElement("span");
        badge.className = "badge badge--validated"; badge.setAttribute("data-complete", ""); badge.textContent = msg.msgComplete;
        el.parentNode.appendChild(document.createTextNode(" "));
        el.parentNode.appendChild(badge);
      } else if (!complete && badge) {
        badge.remove();
      }
    });
  }
  // The assessment's status in the page's heading: "not started" becomes "draft" with the first saved answer.
  function updateStatus(status) {
    var holder = document.querySelector("[data-assessment-status]");
    var badge = holder && holder.querySelector(".badge");
    if (!badge || !status) return;
    badge.className = "badge badge--" + status.value;
    badge.textContent = status.label;
  }

  // One save at a time per indicator: a change made while a save is on its way is
  // sent after it, with the new revision (otherwise it would be refused as stale).
  var inflight = {}, again = {};
  function save(fs) {
    var code = fs.dataset.code;
    if (inflight[code]) { again[code] = true; setPending(code, values(fs)); return inflight[code]; }
    inflight[code] = send(fs).then(function () {
      inflight[code] = null;
      if (again[code]) { again[code] = false; return save(fs); }
    });
    return inflight[code];
  }

  function send(fs) {
    var code = fs.dataset.code;
    var v = values(fs);
    setPending(code, v);
    status(fs, msg.msgSaving, "");
    var body = new FormData();
    Object.keys(v).forEach(function (k) {
      // Several values for a multiple choice; one empty value for a question nothing is ticked in (the server
      // refuses a save that sends no answer at all, so a broken page never clears an answer).
      if (Array.isArray(v[k])) { (v[k].length ? v[k] : [""]).forEach(function (x) { body.append(k, x); }); }
      else { body.append(k, v[k]); }
    });
    return fetch(form.dataset.autosave.replace("__CODE__", encodeURIComponent(code)), {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401) { loginLink(fs); return; }
      return response.json().then(function (data) {
        if (response.ok) {
          setRevision(fs, data.revision);
          setPending(code, null);
          status(fs, msg.msgSaved + " · " + data.saved_at, "ok");
          updateProgress(data.progress);
          updateStatus(data.status);
        } else if (response.status === 409) {
          conflict(fs, data);
        } else if (data.error === "csrf" || data.error === "login") {
          loginLink(fs);
        } else if (response.status === 503) {
          // The server was too busy to save: the answer stays waiting here and is sent again shortly.
          status(fs, msg.msgError + " " + data.message, "error");
          setTimeout(function () { save(fs); }, 3000);
        } else {
          setPending(code, null);
          status(fs, msg.msgError + " " + data.message, "error");
        }
      });
    }).catch(function () { status(fs, msg.msgOffline, "error"); });
  }

  var timers = {};
  form.querySelectorAll("fieldset.indicator[data-code]").forEach(function (fs) {
    fs.addEventListener("change", function (event) {
      if (event.target.type === "file") { upload(fs, event.target); return; }
      clearTimeout(timers[fs.dataset.code]);
      save(fs);
    });
    fs.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA" && event.target.type !== "url" && event.target.type !== "text") return;
      clearTimeout(timers[fs.dataset.code]);
      timers[fs.dataset.code] = setTimeout(function () { save(fs); }, 1500);
    });
  });

  // The same "Remove" button and small form the page renders for a file uploaded before (forms cannot nest).
  function removeButton(data) {
    var remove = document.createElement("form");
    remove.id = "evidence-delete-" + data.id; remove.method = "post"; remove.action = data.remove; remove.hidden = true;
    var token = document.createElement("input");
    token.type = "hidden"; token.name = "csrf_token"; token.value = csrf;
    remove.appendChild(token);
    document.body.appendChild(remove);
    var button = document.createElement("button");
    button.type = "submit"; button.className = "button button--small"; button.textContent = msg.msgRemove;
    button.setAttribute("form", remove.id);
    return button;
  }

  function upload(fs, input) {
    if (!input.files.length) return;
    var body = new FormData();
    body.append("file", input.files[0]);
    status(fs, msg.msgSaving, "");
    fetch(form.dataset.upload.replace("__CODE__", encodeURIComponent(fs.dataset.code)), {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401) { loginLink(fs); return; }
      return response.json().then(function (data) {
        if (!response.ok) { status(fs, msg.msgError + " " + data.message, "error"); return; }
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = data.url; a.textContent = data.name;
        li.appendChild(a);
        if (data.remove) { li.appendChild(document.createTextNode(" ")); li.appendChild(removeButton(data)); }
        fs.querySelector("[data-files]").appendChild(li);
        input.value = "";
        status(fs, msg.msgSaved, "ok");
      });
    }).catch(function () { status(fs, msg.msgOffline, "error"); });
  }

  // Answers left waiting (offline, or the login had ended): put them back and save them now.
  var waiting = pending();
  Object.keys(waiting).forEach(function (code) {
    var fs = form.querySelector('fieldset.indicator[data-code="' + code + '"]');
    if (!fs) return;
    if (typed(fs)) { apply(fs, waiting[code]); }
    else {
      apply(fs, { level: waiting[code].level === "na" ? "" : waiting[code].level, na: waiting[code].level === "na",
                  comment: waiting[code].comment, evidence_url: waiting[code].evidence_url });
    }
    // The revision the answer was started from. An entry kept by an older version of this script has ""
    // for a first answer: that was revision 0 (so a save made since by someone else is shown, not overwritten).
    var started = /^[0-9]{1,9}$/.test(String(waiting[code].revision)) ? String(waiting[code].revision) : "0";
    fs.dataset.revision = started;
    field(fs, "revision").value = started;
    save(fs);
  });
  window.addEventListener("online", function () {
    Object.keys(pending()).forEach(function (code) {
      var fs = form.querySelector('fieldset.indicator[data-code="' + code + '"]');
      if (fs) save(fs);
    });
  });
})();
