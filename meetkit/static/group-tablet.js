// The group's tablet reloads its page now and then while it is shown, so that a loan that ended or was
// returned shows at once instead of a button that no longer works, and a loan that began shows its button.
(function () {
  "use strict";
  var seconds = Number(document.body.getAttribute("data-reload-seconds")) || 300;
  window.setInterval(function () {
    if (document.visibilityState === "visible") {
      window.location.reload();
    }
  }, seconds * 1000);
})();
