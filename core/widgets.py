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


class RichTextWidget(RichTextConfigMixin, AdminProseEditorWidget):
    """The editor, whose editable area is named by the field's label for screen readers."""

    @property
    def media(self):
        return super().media + forms.Media(js=["js/rich-text-label.js"])


class SiteRichTextWidget(RichTextConfigMixin, ProseEditorWidget):
    """The same editor, with the same allow-list, on the hub's own pages (descriptions typed
    by practitioners). One module, js/rich-text.js, imports the editor by its path and starts
    it, so the page needs no import map: an inline script, which a Content-Security-Policy
    without 'unsafe-inline' refuses. Once the editor is up, the module hides the note on
    allowed HTML tags (`.rich-text-tags` in the help, core.forms.rich_text_help): it is for
    people typing HTML into the plain textarea."""

    @property
    def media(self):
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "css/rich-text.css",
                ]
            },
            js=["js/rich-text-label.js", Script("js/rich-text.js", type="module")],
        )
