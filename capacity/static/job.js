/* Capacity: follow a background job's progress without reloading the page. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var bar = document.getElementById("job-progress");
  var message = document.getElementById("job-message");
  var download = document.getElementById("job-download");
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        bar.max = job.total || 1;
        bar.value = job.done;
        if (job.status === "failed") { message.textContent = job.message; return; }
        message.textContent = job.message;
        if (job.status === "done") { download.hidden = false; return; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
