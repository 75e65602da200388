// "Share or embed" (templates/partials/share_embed.html; loaded by every page, it does
// nothing where there is no such box): a copy button beside each field,
// worded by the field's data attributes (translated). Without JavaScript, or without the
// clipboard, the fields can still be selected and copied.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach(function (field) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small";
    button.textContent = field.dataset.copyLabel;
    var label = document.querySelector('label[for="' + field.id + '"]');
    if (label) button.setAttribute("aria-label", field.dataset.copyLabel + ": " + label.textContent);
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = field.dataset.copiedLabel;
      });
    });
    field.after(button);
  });
})();
