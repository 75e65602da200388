"""The Atom feed of newly published profiles."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from core.models import Status
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

SITE = "https://hub.example.org"
FEED = "/en/feeds/new.atom"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def entries(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content).findall("atom:entry", ATOM)


def titles(response) -> list[str]:
    return [entry.findtext("atom:title", namespaces=ATOM) for entry in entries(response)]


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def profiles(db):
    return {
        "old org": OrganisationFactory(name="Old org", published_at=ago(30)),
        "new project": ProjectFactory(name="New project", published_at=ago(1)),
        "middle org": OrganisationFactory(name="Middle org", published_at=ago(10)),
        "older project": ProjectFactory(name="Older project", published_at=ago(20)),
        "draft": OrganisationFactory(name="Draft org", status=Status.DRAFT, published_at=None),
        "pending": ProjectFactory(name="Pending project", status=Status.PENDING),
        "archived": OrganisationFactory(name="Archived org", status=Status.ARCHIVED),
    }


def test_the_feed_lists_published_profiles_of_both_kinds_newest_first(client, profiles):
    response = client.get(FEED)
    assert titles(response) == ["New project", "Middle org", "Older project", "Old org"]
    feed = ET.fromstring(response.content)
    assert feed.findtext("atom:title", namespaces=ATOM) == "New on DSI Hub"
    assert feed.findtext("atom:subtitle", namespaces=ATOM)
    assert feed.findtext("atom:author/atom:name", namespaces=ATOM) == "DSI Hub"
    assert feed.find("atom:link[@rel='self']", ATOM).get("href") == f"{SITE}{FEED}"
    assert feed.find("atom:link[@rel='alternate']", ATOM).get("href") == f"{SITE}/en/"
    assert feed.findtext("atom:id", namespaces=ATOM) == f"{SITE}{FEED}"


def test_each_entry_links_to_its_page_with_dates_summary_and_kind(client, profiles):
    project = profiles["new project"]
    project.short_description = 'Tools & <b>"data"</b>'
    project.save()
    entry = entries(client.get(FEED, HTTP_HOST="localhost"))[0]
    url = f"{SITE}/en/projects/{project.slug}/"  # SITE_URL's host, not the request's
    assert entry.find("atom:link", ATOM).get("href") == url
    assert entry.findtext("atom:id", namespaces=ATOM) == url
    summary = entry.find("atom:summary", ATOM)
    assert summary.get("type") == "html"
    assert summary.text == "Tools &amp; &lt;b&gt;&quot;data&quot;&lt;/b&gt;"  # text, not markup
    assert entry.findtext("atom:published", namespaces=ATOM) == project.published_at.isoformat()
    project.refresh_from_db()
    assert entry.findtext("atom:updated", namespaces=ATOM) == project.updated_at.isoformat()
    assert [c.get("term") for c in entry.findall("atom:category", ATOM)] == ["project"]
    organisation_entry = entries(client.get(FEED))[1]
    assert organisation_entry.find("atom:category", ATOM).get("term") == "organisation"


def test_the_feed_holds_the_fifty_newest(client, db):
    for day in range(30):
        OrganisationFactory(name=f"Org {day:02}", published_at=ago(2 * day))
        ProjectFactory(name=f"Project {day:02}", published_at=ago(2 * day + 1))
    shown = titles(client.get(FEED))
    assert len(shown) == 50
    assert shown[:3] == ["Org 00", "Project 00", "Org 01"]
    assert shown[-1] == "Project 24"


def test_the_feed_is_served_in_each_language(client, profiles):
    response = client.get("/de/feeds/new.atom")
    feed = ET.fromstring(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    link = entries(response)[0].find("atom:link", ATOM).get("href")
    assert link.startswith(f"{SITE}/de/projects/")


def test_feed_queries_are_bounded_and_cached_until_the_directory_changes(
    client, profiles, user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from directory.models import Membership
    from directory.models import Role
    from directory.services.profiles import profile_archive

    with django_assert_num_queries(2):  # the newest organisations, the newest projects
        client.get(FEED)
    with django_assert_num_queries(0):
        assert "New project" in titles(client.get(FEED))
    project = profiles["new project"]
    Membership.objects.create(user=user, project=project, role=Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        profile_archive(profile=project, user=user)
    assert "New project" not in titles(client.get(FEED))


def test_pages_announce_the_feed(client, db):
    html = client.get("/fr/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/fr/feeds/new.atom"' in html
