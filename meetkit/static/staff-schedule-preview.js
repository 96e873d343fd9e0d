// The schedule editor's next dates as you type: when a field changes, the form is sent to the preview address
// and the answer (the next dates, or a mistake and its field) replaces the list in the aria-live region.
// Without JavaScript the "Nächste Termine zeigen" button does the same by sending the whole page.
"use strict";
(function () {
  var form = document.querySelector("form[data-preview-url]");
  var region = document.getElementById("schedule-preview");
  if (!form || !region) return;
  var asked = 0;
  var timer = null;

  function clearMistakes() {
    form.querySelectorAll(".staff-field-error").forEach(function (p) { p.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
  }

  function showMistake(mistake) {
    var name = mistake.dataset.field;
    var field = form.querySelector("[name='" + name + "']");
    if (!field) return;
    var holder = field.type === "radio" ? field.closest("fieldset") : field;
    if (field.type === "radio") holder.querySelector("legend").after(mistake);
    else field.before(mistake);
    holder.setAttribute("aria-invalid", "true");
    holder.setAttribute("aria-describedby", mistake.id);
  }

  function show(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var answer = template.content.querySelector("[data-schedule-preview]");
    if (!answer) return; // not a preview (a sign-in page after the session ended): leave the page as it is
    clearMistakes();
    var mistake = answer.querySelector("[data-field]");
    if (mistake) showMistake(mistake);
    region.replaceChildren.apply(region, Array.from(answer.querySelector("[data-dates]").childNodes));
  }

  function ask() {
    var number = ++asked;
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        if (response.redirected || (response.status !== 200 && response.status !== 400)) return null;
        return response.text();
      })
      .then(function (html) { if (html !== null && number === asked) show(html); })
      .catch(function () { /* offline for a moment: the button still shows the dates */ });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 300);
  }

  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
})();
