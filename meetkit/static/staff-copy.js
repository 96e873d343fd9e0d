// Copy buttons on staff pages: a button with data-copy="ID" copies that field's value. Without JavaScript
// the buttons stay hidden and the field (read-only, selectable) is there to copy by hand.
"use strict";
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  if (!field || !navigator.clipboard) return;
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      button.textContent = button.dataset.copied;
    } catch {
      field.select();
    }
    setTimeout(() => { button.textContent = label; }, 2500);
  });
});
