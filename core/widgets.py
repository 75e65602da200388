"""The rich-text editor of the admin and of practitioners' forms: django-prose-editor
(ProseMirror), served from the hub's own static files, so no CDN is needed. Without JavaScript
it is the plain textarea it enhances."""

from django import forms
from django_prose_editor.widgets import AdminProseEditorWidget
from django_prose_editor.widgets import ProseEditorWidget
from js_asset import Script

from core.html import URL_SCHEMES

# Exactly the markup core.html.sanitize_html keeps, and nothing it would drop (images,
# tables, colours, alignment), so what an editor sees is what is stored and shown.
RICH_TEXT_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Code": True,
    "CodeBlock": True,
    "Heading": {"levels": [2, 3, 4]},
    "HardBreak": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": sorted(URL_SCHEMES)},
    "History": True,
}


class RichTextConfigMixin:
    """Sets up a django-prose-editor widget with the hub's allow-list, RICH_TEXT_EXTENSIONS,
    unless the caller passes its own preset or config: shared by the admin and site editors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("preset", "configurable")
        kwargs.setdefault("config", {"extensions": RICH_TEXT_EXTENSIONS})
        super().__init__(*args, **kwargs)


# The editor's files on every page with a rich-text field: js/rich-text.js imports the editor
# by its path and starts it, so the page needs no import map (an inline script, which the
# Content-Security-Policy refuses, as the package's own media would bring).
EDITOR_CSS = ["django_prose_editor/material-icons.css", "django_prose_editor/editor.css"]
EDITOR_JS = ["js/rich-text-label.js", Script("js/rich-text.js", type="module")]


class RichTextWidget(RichTextConfigMixin, AdminProseEditorWidget):
    """The editor in the admin, with the admin's look; its editable area is named by the
    field's label for screen readers."""

    @property
    def media(self):
        css = [*EDITOR_CSS, "django_prose_editor/overrides.css", "css/rich-text.css"]
        return forms.Media(css={"all": css}, js=EDITOR_JS)


class SiteRichTextWidget(RichTextConfigMixin, ProseEditorWidget):
    """The same editor, with the same allow-list, on the hub's own pages (descriptions typed
    by practitioners). Once the editor is up, js/rich-text.js hides the note on allowed HTML
    tags (`.rich-text-tags` in the help, core.forms.rich_text_help): it is for people typing
    HTML into the plain textarea."""

    @property
    def media(self):
        return forms.Media(css={"all": [*EDITOR_CSS, "css/rich-text.css"]}, js=EDITOR_JS)
