"""sitemap.xml: an index, then the main pages and every published profile, in every language."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.models import Status
from directory.sitemaps import PROFILES_PER_PAGE
from directory.sitemaps import ProfileSitemap
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

SITE = "https://hub.example.org"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def xml(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def index_locations(response) -> list[str]:
    return [node.text for node in xml(response).findall("sm:sitemap/sm:loc", NS)]


def urls(response) -> dict[str, dict]:
    """Each <url>: its lastmod and alternates {hreflang: href}, by location."""
    found = {}
    for node in xml(response).findall("sm:url", NS):
        found[node.findtext("sm:loc", namespaces=NS)] = {
            "lastmod": node.findtext("sm:lastmod", namespaces=NS),
            "alternates": {
                link.get("hreflang"): link.get("href")
                for link in node.findall("xhtml:link", NS)
                if link.get("rel") == "alternate"
            },
        }
    return found


@pytest.fixture
def directory(db):
    return {
        "fab": OrganisationFactory(name="Fab Lab", slug="fab-lab"),
        "waag": OrganisationFactory(name="Waag", slug="waag"),
        "draft": OrganisationFactory(name="Draft", slug="draft", status=Status.DRAFT),
        "decidim": ProjectFactory(name="Decidim", slug="decidim"),
        "pending": ProjectFactory(name="Pending", slug="pending", status=Status.PENDING),
    }


def test_the_index_lists_each_section_on_the_site_url(client, directory):
    response = client.get("/sitemap.xml", HTTP_HOST="localhost")
    assert index_locations(response) == [
        f"{SITE}/sitemap-pages.xml",
        f"{SITE}/sitemap-organisations.xml",
        f"{SITE}/sitemap-projects.xml",
    ]
    lastmods = {
        node.findtext("sm:loc", namespaces=NS): node.findtext("sm:lastmod", namespaces=NS)
        for node in xml(response).findall("sm:sitemap", NS)
    }
    assert lastmods[f"{SITE}/sitemap-pages.xml"] is None  # unknown for the main pages
    for section, latest in (("organisations", "waag"), ("projects", "decidim")):
        directory[latest].refresh_from_db()  # the latest published one, not the later draft
        lastmod = datetime.datetime.fromisoformat(lastmods[f"{SITE}/sitemap-{section}.xml"])
        assert lastmod == directory[latest].updated_at


def test_a_section_lists_each_published_profile_in_every_language(client, directory):
    found = urls(client.get("/sitemap-organisations.xml", HTTP_HOST="localhost"))
    assert set(found) == {
        f"{SITE}/{language}/organisations/{slug}/"
        for slug in ("fab-lab", "waag")
        for language in LANGUAGES
    }
    entry = found[f"{SITE}/de/organisations/fab-lab/"]
    assert entry["alternates"] == {
        **{language: f"{SITE}/{language}/organisations/fab-lab/" for language in LANGUAGES},
        "x-default": f"{SITE}/organisations/fab-lab/",
    }
    directory["fab"].refresh_from_db()
    # The day in the site's time zone, as the sitemap writes it (right after 23:00 UTC too).
    assert entry["lastmod"] == timezone.localdate(directory["fab"].updated_at).isoformat()
    projects = urls(client.get("/sitemap-projects.xml"))
    assert set(projects) == {f"{SITE}/{language}/projects/decidim/" for language in LANGUAGES}


def test_the_x_default_address_sends_visitors_to_their_language(client, directory):
    response = client.get("/organisations/fab-lab/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == "/fr/organisations/fab-lab/"


def test_the_pages_section_lists_the_main_pages(client, db):
    found = urls(client.get("/sitemap-pages.xml"))
    paths = ["/en/", "/en/about/", "/en/organisations/", "/en/projects/", "/en/search/"]
    paths.append(reverse("directory_pages:data"))
    for path in paths:
        assert SITE + path in found
        assert found[SITE + path]["alternates"]["x-default"] == SITE + path.replace("/en/", "/", 1)
    assert len(found) == len(paths) * len(LANGUAGES)


def test_big_sections_are_paged_well_below_the_protocols_limit(client, directory, monkeypatch):
    assert PROFILES_PER_PAGE * len(LANGUAGES) <= 5_000  # a tenth of the 50,000 URLs allowed
    monkeypatch.setattr(ProfileSitemap, "limit", 1)
    assert index_locations(client.get("/sitemap.xml")) == [
        f"{SITE}/sitemap-pages.xml",
        f"{SITE}/sitemap-organisations.xml",
        f"{SITE}/sitemap-organisations.xml?p=2",
        f"{SITE}/sitemap-projects.xml",
    ]
    first = urls(client.get("/sitemap-organisations.xml"))
    second = urls(client.get("/sitemap-organisations.xml?p=2"))
    assert {url.split("/")[-2] for url in first} == {"fab-lab"}  # oldest first
    assert {url.split("/")[-2] for url in second} == {"waag"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/sitemap-nothing.xml", "There is no sitemap section"),
        ("/sitemap-organisations.xml?p=abc", "whole number from 1 upwards"),
        ("/sitemap-organisations.xml?p=0", "whole number from 1 upwards"),
        ("/sitemap-organisations.xml?p=-1", "whole number from 1 upwards"),
        ("/sitemap-organisations.xml?p=²", "whole number from 1 upwards"),
        ("/sitemap-organisations.xml?p=1.0", "whole number from 1 upwards"),
        ("/sitemap-organisations.xml?p=99", "has no page 99"),
        ("/sitemap-organisations.xml?p=99999999999", "whole number from 1 upwards"),
    ],
)
def test_bad_sections_and_pages_are_a_404_with_a_message(client, directory, url, message):
    response = client.get(url)
    assert response.status_code == 404
    assert message in response.content.decode()


def test_sitemap_queries_are_bounded_and_cached_until_the_directory_changes(
    client, directory, user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from directory.models import Membership
    from directory.models import Role
    from directory.services.profiles import profile_archive

    with django_assert_num_queries(2):  # count and latest change, per kind of profile
        client.get("/sitemap.xml")
    with django_assert_num_queries(2):  # the count, then the page's slugs and dates
        client.get("/sitemap-organisations.xml")
    with django_assert_num_queries(0):
        client.get("/sitemap-pages.xml")
    for url in ("/sitemap.xml", "/sitemap-organisations.xml", "/sitemap-pages.xml"):
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200
    fab = directory["fab"]
    Membership.objects.create(user=user, organisation=fab, role=Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        profile_archive(profile=fab, user=user)
    found = urls(client.get("/sitemap-organisations.xml"))
    assert not any("/fab-lab/" in url for url in found)
    assert f"{SITE}/en/organisations/waag/" in found
