import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]
PAGES = ["home", "about", "terms", "privacy", "cookies"]


def test_root_redirects_to_a_language(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 302
    assert response["Location"] == "/de/"


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize("page", PAGES)
def test_pages_are_served_in_every_language(client, db, page, language):
    with translation.override(language):
        url = reverse(page)
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert 'aria-label="' in html


@pytest.mark.parametrize("language", [code for code in LANGUAGE_CODES if code != "en"])
def test_the_home_page_is_translated(client, db, language):
    heading = "Technology for social good, mapped and connected"
    with translation.override(language):
        translated = translation.gettext(heading)
    assert translated != heading
    html = client.get(f"/{language}/").content.decode()
    assert translated in html
    assert heading not in html


def test_home_shows_counts_and_newest_published_profiles(client, db, django_assert_num_queries):
    from core.models import Status
    from directory.models import Organisation

    Organisation.objects.create(name="Open Lab", slug="open-lab", status=Status.PUBLISHED)
    Organisation.objects.create(name="Hidden Draft", slug="hidden", status=Status.DRAFT)
    # Session-less visitor, first visit: the two counts and the two lists (one prefetch for
    # projects), plus one for the upcoming events and one for the open funding (fewer than four
    # of each: their list is their count) and three for the stories (see
    # dsi_hub/tests/test_home.py for their own queries).
    with django_assert_num_queries(9):
        response = client.get("/en/")
    html = response.content.decode()
    assert "Open Lab" in html
    assert "Hidden Draft" not in html
    assert response.context["organisation_count"] == 1
    # Next visit: the events', funding's and stories' parts come from the cache; the directory's
    # part is not cached.
    with django_assert_num_queries(4):
        assert "Open Lab" in client.get("/en/").content.decode()


def test_unknown_pages_get_a_friendly_404(client, db):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_the_language_links_keep_the_page_and_its_query(client, db):
    html = client.get("/en/organisations/?q=open&page=1").content.decode()
    assert '<nav class="language-nav" aria-labelledby="language-nav-label">' in html
    assert (
        '<a href="/de/organisations/?q=open&amp;page=1" hreflang="de" lang="de">Deutsch</a>' in html
    )
    assert 'hreflang="en" lang="en" aria-current="true">English</a>' in html
    german = client.get("/de/organisations/?q=open&page=1")
    assert german.status_code == 200
    assert german.content.decode().startswith('<!doctype html>\n\n<html lang="de">')


def test_the_language_links_of_a_missing_page_swap_the_prefix(client, db):
    html = client.get("/en/no-such-page/?x=1").content.decode()
    assert 'href="/fr/no-such-page/?x=1" hreflang="fr"' in html


@pytest.mark.parametrize("path", ["//evil.example/en/x/", "/\\evil.example/en/x/"])
def test_the_language_links_never_lead_to_another_site(client, db, path):
    html = client.get(path).content.decode()
    links = re.findall(r'href="([^"]*)" hreflang=', html)
    assert len(links) == len(settings.LANGUAGES)
    assert all(link.startswith("/") and link[1] not in "/\\" for link in links)


def test_the_footer_follows_the_language_and_carries_no_token(db):
    """The footer's links are cached per language; nothing on a visitor's page is personal,
    so no CSRF cookie is set."""
    from django.test import Client

    visitor = Client(enforce_csrf_checks=True)
    english = visitor.get("/en/about/")
    german = visitor.get("/de/terms/").content.decode()
    assert "Terms of use" in english.content.decode() and "Terms of use" not in german
    assert 'hreflang="de" lang="de" aria-current="true"' in german
    assert 'hreflang="de" lang="de" aria-current="true"' not in english.content.decode()
    assert 'href="/fr/terms/" hreflang="fr"' in german
    assert "csrfmiddlewaretoken" not in english.content.decode()
    assert not english.cookies


@pytest.mark.parametrize("page", ["about", "terms", "privacy", "cookies"])
def test_static_pages_make_no_queries_for_visitors(client, db, page, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(reverse(page)).status_code == 200


def test_an_unknown_language_is_a_404(client, db):
    assert client.get("/xx/about/").status_code == 404
