"""Embeds of the directory's lists and profile cards (explore.embeds, core.embeds): what they
show, that other sites may frame them and no other page, that they set no cookie, and the
"Share or embed" box of the pages they mirror."""

import re

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from core.models import Status
from directory.models import Country
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, str]:
    return dict(
        part.strip().split(None, 1)
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


@pytest.fixture
def profiles():
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    spanish = [OrganisationFactory(name=f"Lab {n}", country=spain) for n in range(12)]
    OrganisationFactory(name="Atelier", country=france)
    OrganisationFactory(name="Hidden", country=spain, status=Status.DRAFT)
    return spanish


def test_a_list_embed_shows_the_first_results_of_the_list_s_filters(client, profiles):
    response = client.get("/embed/en/organisations/", {"country": "spain", "sort": "name"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "12 results" in html
    names = re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html)
    assert names == sorted(f"Lab {n}" for n in range(12))[:10]  # the first ten, by name
    assert "Atelier" not in html and "Hidden" not in html
    # Every link leads to the hub, in a new tab: absolute, under <base target="_blank">.
    assert '<base target="_blank">' in html
    assert 'href="http://127.0.0.1:8000/en/organisations/lab-0/"' in html
    assert 'href="http://127.0.0.1:8000/en/organisations/?country=spain&amp;sort=name"' in html
    assert "See them all on the DSI Hub" in html
    assert "<header" not in html and "<footer" not in html  # no site chrome
    assert len(response.content) < 150_000


def test_other_sites_may_frame_embeds_and_nothing_else(client, profiles):
    embed = client.get("/embed/en/projects/")
    assert _policy(embed)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in embed
    for path in ("/en/organisations/", "/en/organisations/lab-0/", "/en/"):
        page = client.get(path)
        assert _policy(page)["frame-ancestors"] == "'none'", path
        assert page["X-Frame-Options"] == "DENY", path


def test_an_embed_sets_no_cookie_even_for_someone_logged_in(profiles):
    client = Client()
    client.force_login(UserFactory())
    client.cookies.pop("csrftoken", None)
    for path in ("/embed/en/organisations/", "/embed/en/organisations/lab-0/"):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies, path


def test_an_embed_speaks_the_language_of_its_path(client, profiles):
    html = client.get("/embed/fr/organisations/lab-0/").content.decode()
    assert '<html lang="fr">' in html and "Espagne" in html
    assert 'href="http://127.0.0.1:8000/fr/organisations/lab-0/"' in html
    assert client.get("/embed/xx/organisations/").status_code == 404


def test_a_card_embed_shows_a_published_profile_only(client, profiles):
    project = ProjectFactory(name="Decidim")
    html = client.get(f"/embed/en/projects/{project.slug}/").content.decode()
    assert html.count('class="card"') == 1 and "Decidim" in html
    assert client.get("/embed/en/organisations/hidden/").status_code == 404
    assert client.get("/embed/en/organisations/nobody/").status_code == 404


def test_a_bad_query_is_explained_with_a_400(client, profiles):
    response = client.get("/embed/en/organisations/", {"country": "atlantis"})
    assert response.status_code == 400
    assert "atlantis is not one of the available choices" in response.content.decode()


def test_a_list_embed_runs_a_bounded_number_of_queries(
    client, profiles, django_assert_max_num_queries
):
    client.get("/embed/en/organisations/")  # the vocabularies and the index, as on a site
    with django_assert_max_num_queries(3):  # a look for changes, the search's ids, the cards
        client.get("/embed/en/organisations/", {"q": "lab", "sort": "name"})


def test_lists_and_profiles_offer_their_embed_code(client, profiles):
    html = client.get("/en/organisations/", {"country": "spain", "page": "1"}).content.decode()
    assert "Share or embed" in html
    # The embed of the same filters, from the first page.
    assert (
        "&lt;iframe src=&quot;http://127.0.0.1:8000/embed/en/organisations/?country=spain" in html
    )
    profile = client.get("/en/organisations/lab-0/").content.decode()
    assert "http://127.0.0.1:8000/embed/en/organisations/lab-0/" in profile


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/explore/", "Explore the directory: statistics"),
        ("/explore/countries/es/", "Spain in the directory"),
        ("/explore/map/", "Map of digital social innovation"),
        ("/explore/network/", "Network of organisations and projects"),
    ],
)
def test_every_explore_view_has_an_embed(client, profiles, path, page):
    embed = client.get(f"/embed/en{path}", {"country": "spain"})
    html = embed.content.decode()
    assert embed.status_code == 200 and page in html
    assert _policy(embed)["frame-ancestors"] == "*" and "X-Frame-Options" not in embed
    assert "<header" not in html and "Share or embed" not in html  # no site chrome
    assert len(embed.content) < 150_000
    own = client.get(f"/en{path}", {"country": "spain"}).content.decode()
    assert f"http://127.0.0.1:8000/embed/en{path}?country=spain" in own  # its embed code
