"""The rich-text editor, in the admin and on practitioners' forms: what it can produce is what
the sanitiser keeps, and it is served from the hub's own static files with no inline script
(the Content-Security-Policy allows none)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.config import expand_extensions

from accounts.tests.factories import UserFactory
from core.html import ALLOWED_ATTRIBUTES
from core.html import ALLOWED_TAGS
from core.html import URL_SCHEMES
from core.html import sanitize_html
from core.models import Status
from core.widgets import RICH_TEXT_EXTENSIONS
from core.widgets import RichTextWidget
from core.widgets import SiteRichTextWidget
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

# A <script> element that runs code of its own (not a file, not JSON-LD data).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)


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
    assert "importmap" not in media
    assert not INLINE_SCRIPT.search(media), media
    assert '<script src="/static/js/rich-text.js" type="module"></script>' in media
    assert "/static/js/rich-text-label.js" in media
    assert "/static/django_prose_editor/overrides.css" in media  # the admin's look


def test_editors_get_the_rich_text_editor_for_stories_clusters_and_resources(admin_client):
    for url in (
        "/en/admin/stories/story/add/",
        "/en/admin/stories/cluster/add/",
        "/en/admin/stories/resource/add/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert b"data-django-prose-editor-configurable" in response.content, url
        assert not INLINE_SCRIPT.search(response.content.decode()), url


# --- Practitioners' forms --------------------------------------------------------------------


def test_the_site_widget_needs_no_inline_script():
    """The hub's pages start the editor from one module file: no import map, which is an inline
    script a strict Content-Security-Policy refuses."""
    widget = SiteRichTextWidget()
    html = widget.render("description", "<p>Hello</p>", attrs={"id": "id_description"})
    media = str(widget.media)
    assert "data-django-prose-editor-configurable" in html
    assert "importmap" not in media
    assert not INLINE_SCRIPT.search(media), media
    sources = re.findall(r'(?:src|href)="([^"]+)"', media)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    assert '<script src="/static/js/rich-text.js" type="module"></script>' in media
    # The same allow-list as the admin's editor.
    assert widget.get_config()["extensions"] == RichTextWidget().get_config()["extensions"]


@pytest.fixture
def practitioner(client, db):
    user = UserFactory(date_joined=timezone.now() - timedelta(days=365))
    client.force_login(user)
    return user


def _rich_text_pages(user):
    profile = OrganisationFactory(owner=user, status=Status.DRAFT, published_at=None)
    project = ProjectFactory(owner=user, status=Status.DRAFT, published_at=None)
    return {
        reverse(
            "directory:organisation_edit_step", kwargs={"slug": profile.slug, "step": "about"}
        ): ["description"],
        reverse("directory:project_edit_step", kwargs={"slug": project.slug, "step": "about"}): [
            "description",
            "social_impact",
        ],
        reverse("events:event_create"): ["description"],
        reverse("funding:opportunity_create"): ["description"],
    }


def test_practitioners_describe_in_the_editor_with_a_textarea_without_javascript(
    client, practitioner
):
    for url, fields in _rich_text_pages(practitioner).items():
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for name in fields:
            textarea = re.search(rf'<textarea name="{name}"[^>]*>', page)
            assert textarea and "data-django-prose-editor-configurable" in textarea[0], url
            # The note on allowed tags, for typing HTML without JavaScript, in the field's help
            # (the editor's script takes it away).
            help_text = re.search(
                rf'<(?:p|div) class="help" id="id_{name}_helptext">(.*?)</(?:p|div)>', page, re.S
            )
            assert help_text, (url, name)
            assert '<span class="rich-text-tags">' in help_text[1]
            assert "these tags are kept" in help_text[1]
        assert '<script src="/static/js/rich-text.js" type="module"></script>' in page, url
        assert 'href="/static/django_prose_editor/editor.css"' in page, url
        assert not INLINE_SCRIPT.search(page), (url, INLINE_SCRIPT.search(page)[0])


def test_what_is_typed_without_javascript_is_still_sanitised(client, practitioner):
    profile = OrganisationFactory(owner=practitioner, status=Status.DRAFT, published_at=None)
    url = reverse(
        "directory:organisation_edit_step", kwargs={"slug": profile.slug, "step": "about"}
    )
    response = client.post(
        url, {"description": '<p><b>Bold</b><script>alert(1)</script><img src="x"></p>'}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.description == "<p><b>Bold</b></p>"
