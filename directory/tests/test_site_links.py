"""Absolute links (emails, the API, downloads, the sitemap) are built on SITE_URL when it is set,
and in development (SITE_URL unset) on the host that served the request (core.hosts)."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HOST = "localhost:8101"
SITE = "https://hub.example.org"


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def organisation(owner):
    return OrganisationFactory(owner=owner, name="Open Data Lab", slug="open-data-lab")


@pytest.fixture(params=["development", "site_url"])
def base(request, settings):
    """Each test runs twice: without SITE_URL (links on the request's host) and with it."""
    if request.param == "development":
        settings.DEBUG = True
        settings.SITE_URL = ""
        return f"http://{HOST}"
    settings.SITE_URL = SITE
    return SITE


def test_an_invitation_links_to_the_hub(
    client, organisation, owner, base, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en/organisations/open-data-lab/members/",
            {"action": "invite", "email": "friend@example.org", "role": "member"},
            HTTP_HOST=HOST,
        )
    body = mail.outbox[0].body
    assert f"{base}/en/accounts/signup/?next=" in body
    assert "127.0.0.1:8000" not in body and "localhost:8000" not in body


def test_an_approval_email_links_to_the_hub(
    client, owner, base, django_capture_on_commit_callbacks
):
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    waiting = OrganisationFactory(
        name="Approve Me",
        owner=owner,
        status=Status.PENDING,
        published_at=None,
        submitted_at=timezone.now(),
    )
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:directory_organisation_approve", args=[waiting.pk]), HTTP_HOST=HOST
        )
    assert response.status_code == 302
    assert f"{base}/en/organisations/approve-me/" in mail.outbox[0].body


def test_the_apis_links_name_the_hub(client, organisation, base):
    response = client.get("/api/v1/organisations/", HTTP_HOST=HOST, HTTP_ACCEPT="application/json")
    item = response.json()["results"][0]
    assert item["url"] == f"{base}/en/organisations/open-data-lab/"
    assert item["api_url"] == f"{base}/api/v1/organisations/open-data-lab/"
    detail = client.get(
        "/api/v1/organisations/open-data-lab/", HTTP_HOST=HOST, HTTP_ACCEPT="application/json"
    )
    assert detail.json()["url"] == f"{base}/en/organisations/open-data-lab/"


def test_the_downloads_links_name_the_hub(client, organisation, base):
    response = client.get("/data/organisations.csv", HTTP_HOST=HOST)
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["url"] for row in rows] == [f"{base}/en/organisations/open-data-lab/"]
    package = client.get("/data/datapackage.json", HTTP_HOST=HOST).json()
    assert package["homepage"] == f"{base}/en/data/"


def test_the_sitemap_and_robots_txt_name_the_hub(client, organisation, base):
    index = client.get("/sitemap.xml", HTTP_HOST=HOST).content.decode()
    assert f"<loc>{base}/sitemap-organisations.xml</loc>" in index
    section = client.get(
        reverse("discovery:sitemap_section", kwargs={"section": "organisations"}), HTTP_HOST=HOST
    ).content.decode()
    assert f"<loc>{base}/en/organisations/open-data-lab/</loc>" in section
    assert "127.0.0.1:8000" not in section
    robots = client.get("/robots.txt", HTTP_HOST=HOST).content.decode()
    assert f"Sitemap: {base}/sitemap.xml" in robots


def test_in_development_each_host_gets_a_feed_and_sitemap_naming_itself(
    client, organisation, settings
):
    """Feeds and sitemaps are cached: a copy made for one host is not served to another."""
    settings.SITE_URL = ""
    first = client.get("/en/feeds/new.atom", HTTP_HOST=HOST).content.decode()
    assert f"http://{HOST}/en/organisations/open-data-lab/" in first
    second = client.get("/en/feeds/new.atom", HTTP_HOST="127.0.0.1:8101").content.decode()
    assert "http://127.0.0.1:8101/en/organisations/open-data-lab/" in second
    assert HOST not in second
    for host in (HOST, "127.0.0.1:8101"):
        index = client.get("/sitemap.xml", HTTP_HOST=host).content.decode()
        assert f"<loc>http://{host}/sitemap-organisations.xml</loc>" in index
