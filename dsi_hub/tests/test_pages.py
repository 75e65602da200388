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
    from directory.models import Organisation, Status

    Organisation.objects.create(name="Open Lab", slug="open-lab", status=Status.PUBLISHED)
    Organisation.objects.create(name="Hidden Draft", slug="hidden", status=Status.DRAFT)
    # session-less visitor: the two counts and the two lists (one prefetch for projects)
    with django_assert_num_queries(4):
        response = client.get("/en/")
    html = response.content.decode()
    assert "Open Lab" in html
    assert "Hidden Draft" not in html
    assert response.context["organisation_count"] == 1


def test_unknown_pages_get_a_friendly_404(client, db):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_the_language_switcher_keeps_the_page(client, db):
    response = client.post(
        "/i18n/setlang/", {"language": "de", "next": "/en/about/"}, HTTP_REFERER="/en/about/"
    )
    assert response.status_code == 302
    assert response["Location"] == "/de/about/"


def test_the_cached_footer_follows_the_language_and_keeps_the_form_live(db):
    """The footer's links and language list are cached per language; the form's token and the
    page to come back to are not."""
    import re

    from django.test import Client

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    english = first.get("/en/about/").content.decode()
    german = first.get("/de/terms/").content.decode()
    assert "Terms of use" in english and "Terms of use" not in german
    assert re.search(r'<option value="de" lang="de" selected>', german)
    assert not re.search(r'<option value="de" lang="de" selected>', english)
    assert 'name="next" type="hidden" value="/de/terms/"' in german
    other = second.get("/en/about/").content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(english).group(1) != token.search(other).group(1)
    # and the form still works with the token it was given
    response = second.post(
        "/i18n/setlang/",
        {
            "language": "fr",
            "next": "/en/about/",
            "csrfmiddlewaretoken": token.search(other).group(1),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/fr/about/"


@pytest.mark.parametrize("page", ["about", "terms", "privacy", "cookies"])
def test_static_pages_make_no_queries_for_visitors(client, db, page, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(reverse(page)).status_code == 200


def test_an_unknown_language_is_ignored_not_an_error(client, db):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/en/about/"})
    assert response.status_code == 302
    assert client.get("/xx/about/").status_code == 404
