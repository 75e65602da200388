// Starts the rich-text editor on the textareas of practitioners' forms (core.widgets.
// SiteRichTextWidget). The editor is imported by its path, so the page needs no import map
// (an inline script); what the widget allows is in its data attribute, as for the admin.
// Without JavaScript, or if this fails, the textarea stays as it is and takes HTML.
import * as prose from "../django_prose_editor/editor.js";

const CONFIG = "data-django-prose-editor-configurable";

function extensions(config) {
  const chosen = [];
  for (const [name, options] of Object.entries(config.extensions || {})) {
    const extension = prose[name];
    if (!extension) continue;
    chosen.push(typeof options === "object" ? extension.configure(options) : extension);
  }
  return chosen;
}

function start(textarea) {
  if (textarea.closest(".prose-editor")) return;
  const config = JSON.parse(textarea.getAttribute(CONFIG) || "{}");
  // As the package's createTextareaEditor, but without the <style> element the editor would
  // add (an inline style, which a strict Content-Security-Policy refuses): its rules are in
  // css/rich-text.css.
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = document.createElement("div");
  wrapper.className = disabled ? "prose-editor disabled" : "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  new prose.Editor({
    element: wrapper,
    editable: !disabled,
    extensions: extensions(config),
    content: textarea.value,
    injectCSS: false,
    onUpdate({ editor }) {
      const html = editor.getHTML();
      // An empty paragraph is no text at all.
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  markDisabled(wrapper);
  // The note on allowed HTML tags is for typing HTML by hand: not needed any more.
  const help = document.getElementById(textarea.id + "_helptext");
  if (!help) return;
  help.querySelectorAll(".rich-text-tags").forEach((note) => note.remove());
  if (!help.textContent.trim()) {
    help.remove();
    return;
  }
  const box = textarea.closest(".prose-editor").querySelector('[role="textbox"]');
  if (box) box.setAttribute("aria-describedby", help.id);
}

// The toolbar greys out a button that does nothing for now (undo with nothing to undo) by a class
// alone: aria-disabled says so to assistive technology as well, and makes it an inactive control,
// which WCAG 1.4.3 does not hold to the contrast of text (axe color-contrast).
function markDisabled(wrapper) {
  const sync = () => {
    for (const button of wrapper.querySelectorAll(".prose-menubar__button")) {
      if (button.classList.contains("disabled")) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    }
  };
  sync();
  new MutationObserver(sync).observe(wrapper, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["class"],
  });
}

document.querySelectorAll("[" + CONFIG + "]").forEach((textarea) => {
  try {
    start(textarea);
  } catch (error) {
    console.error("The rich-text editor could not start:", error);
  }
});
