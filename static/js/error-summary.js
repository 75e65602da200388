// After a form is sent back with errors, the focus goes to the summary of its errors
// (partials/error_summary.html), so that keyboard and screen reader users start there; its
// links take the focus to the field, with its label in view.
(function () {
  "use strict";

  function fieldOf(link) {
    var id = decodeURIComponent(link.hash.slice(1));
    return id ? document.getElementById(id) : null;
  }

  function goToField(event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && fieldOf(link);
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector('label[for="' + field.id + '"]');
    var fieldset = field.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    (legend || label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  }

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary || summary.dataset.errorSummaryReady) return;
    summary.dataset.errorSummaryReady = "true";
    summary.addEventListener("click", goToField);
    summary.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
