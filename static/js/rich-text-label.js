// The rich-text editor's editable area (role="textbox") takes its accessible name from the
// label of the textarea it replaces, and says that it holds several lines.
(function () {
  "use strict";

  function name(box) {
    if (box.hasAttribute("aria-labelledby")) return;
    var editor = box.closest(".prose-editor");
    var textarea = editor && editor.querySelector("textarea[id]");
    var label = textarea && document.querySelector('label[for="' + textarea.id + '"]');
    if (!label) return;
    if (!label.id) label.id = textarea.id + "_label";
    box.setAttribute("aria-labelledby", label.id);
    box.setAttribute("aria-multiline", "true");
  }

  function nameAll() {
    document.querySelectorAll('.prose-editor [role="textbox"]').forEach(name);
  }

  // The editor starts as a module, after or before this script: watch for it.
  new MutationObserver(nameAll).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener("DOMContentLoaded", nameAll);
})();
