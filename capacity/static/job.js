/* Capacity: follow a background job's progress without reloading the page.
   Polling stops when the job is done or failed (the server marks a job whose worker died as failed),
   when the job is not found, and after repeated network errors — never forever. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var bar = document.getElementById("job-progress");
  var message = document.getElementById("job-message");
  var download = document.getElementById("job-download");
  var again = document.getElementById("job-again");
  var errors = 0;
  var MAX_ERRORS = 20;  // about a minute without an answer
  function giveUp() { message.textContent = box.dataset.msgGone; }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (r.status === 404 || r.status === 403) { giveUp(); return null; }
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (job) {
        if (!job) return;
        errors = 0;
        bar.max = job.total || 1;
        bar.value = job.done;
        message.textContent = job.message;
        if (job.again) again.hidden = false;
        if (job.download) download.hidden = false;
        if (job.status === "failed" || job.status === "done") return;
        setTimeout(poll, 1000);
      })
      .catch(function () {
        errors += 1;
        if (errors >= MAX_ERRORS) { giveUp(); return; }
        setTimeout(poll, 3000);
      });
  }
  if (box.dataset.final !== "true") poll();
})();
