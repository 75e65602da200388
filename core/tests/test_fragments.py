"""Template fragments kept rendered per worker (core/templatetags/fragments.py): rendered once
per language and values named, never holding what varies by request or visitor."""

from django.template import Context
from django.template import Template
from django.utils import translation

from core.templatetags.fragments import fragments_forget

KEPT = Template(
    '{% load fragments %}{% fragment "test-kept" shown %}{{ shown }}/{{ other }}{% endfragment %}'
)


def render(**values) -> str:
    return KEPT.render(Context(values))


def test_a_fragment_is_rendered_once_per_language_and_values():
    fragments_forget()
    assert render(shown=1, other="a") == "1/a"
    assert render(shown=1, other="b") == "1/a"  # the copy: `other` is not among its values
    assert render(shown=2, other="b") == "2/b"
    with translation.override("de"):
        assert render(shown=1, other="c") == "1/c"
    fragments_forget()
    assert render(shown=1, other="d") == "1/d"


def test_a_changed_setting_forgets_the_copies(settings):
    render(shown=3, other="a")
    settings.SITE_NAME = "Another hub"
    assert render(shown=3, other="b") == "3/b"


def test_the_header_keeps_the_search_words_and_the_account_of_each_request(client, user):
    page = client.get("/en/search/", {"q": "commons"}).content.decode()
    assert 'name="q" value="commons"' in page and "Log in" in page
    page = client.get("/en/search/", {"q": "labs"}).content.decode()
    assert 'name="q" value="labs"' in page
    client.force_login(user)
    page = client.get("/en/search/", {"q": "labs"}).content.decode()
    assert "Log out" in page and "Log in" not in page
    client.logout()
    page = client.get("/en/search/").content.decode()
    assert "Log in" in page and "Log out" not in page


def test_the_header_marks_the_section_of_each_page_in_its_language(client, db):
    projects = client.get("/en/projects/").content.decode()
    assert '<a href="/en/projects/" aria-current="page">Projects</a>' in projects
    organisations = client.get("/en/organisations/").content.decode()
    assert '<a href="/en/organisations/" aria-current="page">' in organisations
    assert '<a href="/en/projects/">Projects</a>' in organisations
    german = client.get("/de/organisations/").content.decode()
    assert '<a href="/de/organisations/" aria-current="page">' in german
    assert "Den Hub durchsuchen" in german and "Search the hub" not in german
