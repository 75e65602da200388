"""The Atom feed of funding opportunities: open or opening later, newest published first."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from core.models import Status
from funding.services import LIFECYCLE
from funding.tests.factories import OpportunityFactory

SITE = "https://hub.example.org"
FEED = "/en/funding/feed.atom"
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


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def opportunities(db):
    return {
        "old": OpportunityFactory(title="Old fund", published_at=ago(30)),
        "new": OpportunityFactory(title="New fund", published_at=ago(1)),
        "later": OpportunityFactory(
            title="Later fund", opens_on=days(10), closes_on=None, published_at=ago(5)
        ),
        "closed": OpportunityFactory(
            title="Closed fund", opens_on=days(-30), closes_on=days(-1), published_at=ago(2)
        ),
        **{
            status: OpportunityFactory(title=f"Hidden {status}", status=status, published_at=None)
            for status in (Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED)
        },
    }


def test_the_feed_lists_open_and_later_published_opportunities_newest_first(client, opportunities):
    response = client.get(FEED)
    assert titles(response) == ["New fund", "Later fund", "Old fund"]
    feed = ET.fromstring(response.content)
    assert feed.findtext("atom:title", namespaces=ATOM) == "Funding on DSI Hub"
    assert feed.findtext("atom:subtitle", namespaces=ATOM)
    assert feed.findtext("atom:author/atom:name", namespaces=ATOM) == "DSI Hub"
    assert feed.find("atom:link[@rel='self']", ATOM).get("href") == f"{SITE}{FEED}"
    assert feed.find("atom:link[@rel='alternate']", ATOM).get("href") == f"{SITE}/en/funding/"
    assert feed.findtext("atom:id", namespaces=ATOM) == f"{SITE}{FEED}"


def test_unpublished_and_closed_opportunities_are_never_in_the_feed(client, opportunities):
    text = client.get(FEED).content.decode()
    assert "Hidden" not in text and "Closed fund" not in text


def test_each_entry_links_to_its_page_with_its_dates_amount_and_summary(client, opportunities):
    shown = opportunities["new"]
    shown.short_description = 'Tools & <b>"data"</b>'
    shown.save()
    entry = entries(client.get(FEED, HTTP_HOST="localhost"))[0]
    url = f"{SITE}/en/funding/{shown.slug}/"  # SITE_URL's host, not the request's
    assert entry.find("atom:link", ATOM).get("href") == url
    assert entry.findtext("atom:id", namespaces=ATOM) == url
    assert entry.findtext("atom:published", namespaces=ATOM) == shown.published_at.isoformat()
    assert [c.get("term") for c in entry.findall("atom:category", ATOM)] == ["Grant funding"]
    summary = entry.find("atom:summary", ATOM)
    assert summary.get("type") == "html"
    assert summary.text == (
        f"<p>Open until {date_format(shown.closes_on, 'DATE_FORMAT')}</p>"
        "<p>€5,000 to €50,000</p>"
        "<p>From Open Society Tech Foundation</p>"
        "<p>Tools &amp; &lt;b&gt;&quot;data&quot;&lt;/b&gt;</p>"
    )
    later = entries(client.get(FEED))[1].findtext("atom:summary", namespaces=ATOM)
    assert later.startswith(f"<p>Opens on {date_format(days(10), 'DATE_FORMAT')}, rolling</p>")


def test_the_feed_holds_the_fifty_newest(client, db):
    for number in range(55):
        OpportunityFactory(title=f"Fund {number:02}", published_at=ago(number))
    shown = titles(client.get(FEED))
    assert len(shown) == 50
    assert shown[0] == "Fund 00" and shown[-1] == "Fund 49"


def test_the_feed_is_served_in_each_language(client, opportunities):
    response = client.get("/fr/funding/feed.atom")
    feed = ET.fromstring(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    link = entries(response)[0].find("atom:link", ATOM).get("href")
    assert link.startswith(f"{SITE}/fr/funding/")


def test_the_list_page_links_the_feed(client, db):
    html = client.get("/en/funding/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/en/funding/feed.atom"' in html
    assert '<a href="/en/funding/feed.atom">' in html


def test_feed_queries_are_bounded_and_cached_until_a_change_or_the_next_day(
    client,
    opportunities,
    user,
    monkeypatch,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    with django_assert_num_queries(1):  # the opportunities with their type and funder
        client.get(FEED)
    with django_assert_num_queries(0):
        assert titles(client.get(FEED)) == ["New fund", "Later fund", "Old fund"]
    for number in range(5):
        OpportunityFactory(title=f"More {number}", published_at=ago(40 + number))
    shown = opportunities["old"]
    shown.created_by = user
    shown.save()
    with django_capture_on_commit_callbacks(execute=True):
        LIFECYCLE.update(shown, user=user, fields={"title": "Renamed fund"})
    with django_assert_num_queries(1):  # eight entries now: still one
        assert "Renamed fund" in titles(client.get(FEED))

    # The next day "New fund" has closed: yesterday's cached feed is not served.
    new = opportunities["new"]
    new.closes_on = timezone.localdate()
    new.save()
    assert "New fund" in titles(client.get(FEED))  # still cached, and still open today
    moved = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: moved)
    assert "New fund" not in titles(client.get(FEED))
