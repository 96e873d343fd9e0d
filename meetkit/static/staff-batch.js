// The batch page's progress bar: asks the server how far the batch is, once a second, until it is done.
"use strict";
(function () {
  var batch = document.getElementById("batch");
  if (!batch || batch.dataset.state !== "running") return;
  var bar = document.getElementById("batch-progress");
  var status = document.getElementById("batch-status");
  var download = document.getElementById("batch-download");
  function poll() {
    fetch(batch.dataset.progressUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
        if (status.textContent !== data.message) status.textContent = data.message;
        batch.dataset.state = data.state;
        if (data.state === "done") download.hidden = false;
        if (data.state === "running") window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
