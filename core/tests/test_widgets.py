"""The admin's rich-text editor: what it can produce is what the sanitiser keeps, and it is
served from the hub's own static files."""

import re

from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.config import expand_extensions

from core.html import ALLOWED_ATTRIBUTES
from core.html import ALLOWED_TAGS
from core.html import URL_SCHEMES
from core.html import sanitize_html
from core.widgets import RICH_TEXT_EXTENSIONS
from core.widgets import RichTextWidget


def test_the_editor_produces_only_markup_the_sanitiser_keeps():
    produced = allowlist_from_extensions(expand_extensions(RICH_TEXT_EXTENSIONS))
    assert produced["tags"] <= ALLOWED_TAGS
    assert produced["url_schemes"] <= URL_SCHEMES
    # Links are the only element with attributes the hub keeps; target is not offered.
    assert "target" not in produced["attributes"]["a"]
    assert ALLOWED_ATTRIBUTES["a"] <= produced["attributes"]["a"]


def test_what_the_editor_writes_survives_cleaning():
    written = (
        "<h2>Lessons</h2><p>We learned that <strong>open data</strong> <em>matters</em>.</p>"
        "<ul><li><p>Sensors</p></li></ul><blockquote><p>Quote</p></blockquote><hr>"
        "<pre><code>code</code></pre>"
    )
    assert sanitize_html(written) == written


def test_the_widget_loads_the_editor_from_our_static_files():
    html = RichTextWidget().render("body", "<p>Hello</p>", attrs={"id": "id_body"})
    media = str(RichTextWidget().media)
    assert "data-django-prose-editor-configurable" in html
    assert "&lt;p&gt;Hello&lt;/p&gt;" in html  # the stored text, as the textarea's value
    sources = re.findall(r'(?:src|href)="([^"]+)"', media)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    assert '"django-prose-editor/editor": "/static/django_prose_editor/editor.js"' in media
    assert "/static/js/rich-text-label.js" in media


def test_editors_get_the_rich_text_editor_for_stories_clusters_and_resources(admin_client):
    for url in (
        "/en/admin/stories/story/add/",
        "/en/admin/stories/cluster/add/",
        "/en/admin/stories/resource/add/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert b"data-django-prose-editor-configurable" in response.content, url
        assert b'<script type="importmap"' in response.content
