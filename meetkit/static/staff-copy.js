// Copy buttons on staff pages: a button with data-copy="ID" copies that field's value. Without JavaScript
// the buttons stay hidden and the field (read-only, selectable) is there to copy by hand.
"use strict";
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch {
      field.select(); // where the clipboard API is refused, copy the selection the older way
      copied = document.execCommand("copy");
    }
    if (copied) {
      button.textContent = button.dataset.copied;
      setTimeout(() => { button.textContent = label; }, 2500);
    }
  });
});
