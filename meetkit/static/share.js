// Copy and share buttons on the leader page. Without JavaScript they stay hidden: the link is in a
// read-only field that can be selected and copied by hand.
"use strict";
document.querySelectorAll("[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.getAttribute("data-copy"));
  if (!field || !navigator.clipboard) { return; }
  var label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      button.textContent = button.getAttribute("data-copied");
      setTimeout(function () { button.textContent = label; }, 3000);
    }, function () {
      field.select();
    });
  });
});
document.querySelectorAll("[data-share]").forEach(function (button) {
  var field = document.getElementById(button.getAttribute("data-share"));
  if (!field || typeof navigator.share !== "function") { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.share({ title: button.getAttribute("data-title"), url: field.value }).catch(function () {});
  });
});
