"""The funding opportunities' open-data API: /api/v1/funding/, its items, filters, ordering, the
day in its answers, query counts and schema.

What every app's API shares (refusals, pages, reading only, cross-origin reads, cached lists, the
schema's common parts, the fuzz run) is tested once for each in core/tests/test_api.py, with
api_sample() from factories.py."""

import datetime as dt

import pytest
from django.utils import timezone

from core.api.schema import MONTH_SCHEMA
from core.models import Status
from directory.models import Country
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from funding.models import FundingTarget
from funding.models import FundingType
from funding.models import Opportunity
from funding.tests.factories import OpportunityFactory
from funding.tests.factories import api_sample
from funding.tests.factories import days
from funding.tests.factories import opportunity
from funding.tests.factories import today

API = "/api/v1/funding/"
LIST = "/en/funding/"


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


@pytest.fixture
def mix(db):
    return api_sample()


# --- Lists and items --------------------------------------------------------------------------


def test_open_published_opportunities_with_the_public_fields(client, mix, settings):
    for status in (Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED):
        OpportunityFactory(title=f"Hidden {status}", status=status)
    response = client.get(API, HTTP_ACCEPT="application/json")
    body = response.json()
    assert body["count"] == 3 and body["next"] is None and body["previous"] is None
    # the list's order: closing soonest first, rolling last
    assert titles(response) == ["Closes soon fund", "Closes later fund", "Rolling fund"]
    item = body["results"][0]
    soon = mix["soon"]
    slug = soon.slug
    assert item["id"] == soon.pk and item["slug"] == slug and item["title"] == soon.title
    assert item["url"] == f"{settings.SITE_URL}/en/funding/{slug}/"
    assert item["api_url"] == f"{settings.SITE_URL}/api/v1/funding/{slug}/"
    assert item["short_description"] == soon.short_description
    assert item["description"] == soon.description
    assert item["funder"] == {
        "name": "Fab Lab Barcelona",
        "website": None,
        "url": f"{settings.SITE_URL}/en/organisations/fab-lab-barcelona/",
        "api_url": f"{settings.SITE_URL}/api/v1/organisations/fab-lab-barcelona/",
    }
    assert item["type"] == {"slug": "grant-funding", "name": "Grant funding"}
    assert item["targets"] == [{"slug": "startup", "name": "Startup"}]
    assert item["countries"] == [{"slug": "spain", "name": "Spain", "code": "ES"}]
    assert item["open_everywhere"] is False
    assert item["social_areas"] == [{"slug": "health-and-care", "name": "Health and care"}]
    assert (item["amount_min"], item["amount_max"], item["currency"]) == (5000, 50000, "EUR")
    assert item["opens_on"] == days(-10).isoformat()
    assert item["closes_on"] == days(3).isoformat()
    assert item["rolling"] is False and item["state"] == "closing_soon"
    assert item["link"] == "https://fablab.example/apply"
    assert item["licence"]["code"] == "CC-BY-4.0"
    assert item["published"] and item["updated"]
    for private in ("status", "created_by", "rejection_reason", "facet_keys", "submitted_at"):
        assert private not in item
    assert "search_" not in response.content.decode()

    later, rolling = body["results"][1:]
    assert later["funder"] == {
        "name": "Open Society Tech Foundation",
        "website": "https://example.org",
        "url": None,
        "api_url": None,
    }
    assert later["type"]["slug"] == "investment-social-investment"
    assert later["countries"] == [] and later["open_everywhere"] is True
    assert later["targets"] == [] and later["social_areas"] == []
    assert (later["amount_min"], later["amount_max"], later["currency"]) == (
        None,
        250000.5,
        "GBP",
    )
    assert later["state"] == "open"
    assert rolling["funder"] is None
    assert rolling["opens_on"] is None and rolling["closes_on"] is None
    assert rolling["rolling"] is True and rolling["state"] == "open"


def test_each_state_on_the_day(client, mix):
    states = {
        item["title"]: item["state"]
        for status in ("open", "upcoming", "closed")
        for item in client.get(API, {"status": status}).json()["results"]
    }
    assert states == {
        "Closes soon fund": "closing_soon",
        "Closes later fund": "open",
        "Rolling fund": "open",
        "Opens next month": "opening_later",
        "Closed last week": "closed",
    }
    for name, expected in (("upcoming", "opening_later"), ("closed", "closed")):
        item = client.get(f"{API}{mix[name].slug}/").json()
        assert item["state"] == expected


def test_an_unpublished_funder_is_named_but_not_linked(client, db):
    hidden = OrganisationFactory(name="Draft org", status=Status.DRAFT)
    opportunity("Offered", funder=hidden, funder_website="")
    item = client.get(API).json()["results"][0]
    assert item["funder"] == {"name": "Draft org", "website": None, "url": None, "api_url": None}


def test_one_item_by_slug_and_unpublished_ones_are_not_found(client, mix):
    closed = mix["closed"]
    response = client.get(f"{API}{closed.slug}/")
    assert response.status_code == 200 and response.json()["title"] == "Closed last week"
    for status in (Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED):
        hidden = OpportunityFactory(status=status)
        assert client.get(f"{API}{hidden.slug}/").status_code == 404
    missing = client.get(f"{API}no-such-opportunity/")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_names_in_the_asked_language_and_one_address(client, mix):
    item = client.get(API, HTTP_ACCEPT_LANGUAGE="de").json()["results"][0]
    assert item["countries"][0]["name"] == "Spanien"
    assert item["type"]["name"] == FundingType.objects.get(slug="grant-funding").name_de
    assert item["targets"][0]["name"] == "Start-up"
    assert "/en/funding/" in item["url"]


# --- Filters, search, ordering, pagination ----------------------------------------------------


@pytest.fixture
def filtered(db):
    spain = Country.objects.get(code="ES")
    france = Country.objects.get(code="FR")
    health = SocialArea.objects.get(slug="health-and-care")
    startup = FundingTarget.objects.get(slug="startup")
    research = FundingTarget.objects.get(slug="research-organisation")
    investment = FundingType.objects.get(slug="investment-social-investment")
    opportunity("Spanish", closes=5, countries=[spain], areas=[health])
    opportunity(
        "Investment",
        closes=6,
        countries=[spain, france],
        targets=[startup],
        funding_type=investment,
        amount_min=10000,
        amount_max=100000,
    )
    opportunity(
        "Startups and research",
        closes=7,
        countries=[Country.objects.get(code="DE")],
        targets=[startup, research],
        amount_min=20000,
        amount_max=None,
    )
    opportunity(
        "Everywhere",
        closes=None,
        short_description="Solar panels for schools.",
        amount_min=None,
        amount_max=None,
    )
    opportunity("Later", opens=20, closes=60)
    opportunity("Gone", opens=-90, closes=-30, short_description="Solar roofs.")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Spanish", "Investment", "Startups and research", "Everywhere"]),
        ({"status": "open"}, ["Spanish", "Investment", "Startups and research", "Everywhere"]),
        ({"status": "upcoming"}, ["Later"]),
        ({"status": "closed"}, ["Gone"]),
        ({"type": "investment-social-investment"}, ["Investment"]),
        ({"target": "research-organisation"}, ["Startups and research"]),
        ({"target": ["startup", "research-organisation"]}, ["Investment", "Startups and research"]),
        ({"country": "spain"}, ["Spanish", "Investment", "Everywhere"]),
        ({"country": "italy"}, ["Everywhere"]),
        ({"area": "health-and-care"}, ["Spanish"]),
        ({"amount": "20000"}, ["Spanish", "Investment", "Startups and research"]),
        ({"amount": "250000"}, ["Startups and research"]),
        ({"search": "solar"}, ["Everywhere"]),
        ({"search": "solar", "status": "closed"}, ["Gone"]),
        ({"type": "grant-funding", "target": "startup"}, ["Startups and research"]),
        ({"q": "solar"}, ["Spanish", "Investment", "Startups and research", "Everywhere"]),
    ],
)
def test_each_filter_of_the_list(client, filtered, query, expected):
    assert titles(client.get(API, query)) == expected


def test_the_closing_month_filter(client, db):
    soon = opportunity("Next month", closes=40)
    opportunity("Much later", closes=200)
    month = soon.closes_on.strftime("%Y-%m")
    assert titles(client.get(API, {"closes": month})) == ["Next month"]


def test_the_same_query_gives_the_same_opportunities_as_the_page(client, filtered):
    for query in (
        {},
        {"status": "closed"},
        {"status": "upcoming"},
        {"country": "spain"},
        {"target": ["startup", "research-organisation"]},
    ):
        page = client.get(LIST, query)
        assert [o.title for o in page.context["opportunities"]] == titles(client.get(API, query))


def test_ordering(client, filtered):
    listed = ["Spanish", "Investment", "Startups and research", "Everywhere"]
    assert titles(client.get(API, {"ordering": "closes"})) == listed
    assert titles(client.get(API, {"ordering": "-closes"})) == listed[::-1]
    now = timezone.now()
    for hours, title in ((1, "Investment"), (2, "Everywhere"), (3, "Spanish"), (4, "Startups")):
        Opportunity.objects.filter(title__startswith=title).update(
            published_at=now - dt.timedelta(hours=hours)
        )
    newest = ["Investment", "Everywhere", "Spanish", "Startups and research"]
    assert titles(client.get(API, {"ordering": "-published"})) == newest
    assert titles(client.get(API, {"ordering": "published"})) == newest[::-1]


def test_relevance_with_a_search_and_the_lists_order_without(client, db):
    opportunity("Open data fund", closes=20, short_description="Open data, open data, open data")
    opportunity("Small grants about data", closes=10, short_description="Some grants")
    found = titles(client.get(API, {"search": "data", "ordering": "relevance"}))
    assert found == ["Open data fund", "Small grants about data"]
    assert titles(client.get(API, {"search": "data"})) == found[::-1]  # closing soonest first
    assert titles(client.get(API, {"ordering": "relevance"})) == found[::-1]


def test_too_many_values_for_one_filter_are_refused(client, mix):
    slugs = list(FundingTarget.objects.values_list("slug", flat=True))
    response = client.get(API, {"target": (slugs * 3)[:11]})
    assert response.status_code == 400 and "at most 10" in response.json()["target"][0]


# --- The day, caches and query counts ---------------------------------------------------------


@pytest.fixture
def tomorrow(monkeypatch):
    """Move the site's clock on a day: everything that asks for today gets tomorrow."""

    def move():
        moved = today() + dt.timedelta(days=1)
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: moved)
        return moved

    return move


def test_closing_today_is_open_today_and_closed_tomorrow_even_with_a_warm_cache(
    client, db, tomorrow, django_assert_num_queries
):
    last_day = opportunity("Last day fund", closes=0)
    first = client.get(API).json()
    assert [(i["title"], i["state"]) for i in first["results"]] == [
        ("Last day fund", "closing_soon")
    ]
    with django_assert_num_queries(0):  # warm in the cache
        assert client.get(API).json() == first

    tomorrow()
    assert client.get(API).json()["count"] == 0
    closed = client.get(API, {"status": "closed"}).json()["results"]
    assert [(i["title"], i["state"]) for i in closed] == [("Last day fund", "closed")]
    assert client.get(f"{API}{last_day.slug}/").json()["state"] == "closed"


def test_opening_tomorrow_moves_from_later_to_open(client, db, tomorrow):
    opportunity("Tomorrow's fund", opens=1, closes=10)
    assert titles(client.get(API, {"status": "upcoming"})) == ["Tomorrow's fund"]
    assert titles(client.get(API)) == []
    tomorrow()
    assert titles(client.get(API)) == ["Tomorrow's fund"]
    assert client.get(API).json()["results"][0]["state"] == "closing_soon"
    assert titles(client.get(API, {"status": "upcoming"})) == []


@pytest.fixture
def many(db):
    from directory.vocabularies import vocabulary_tables

    spain = Country.objects.get(code="ES")
    areas = list(SocialArea.objects.all()[:2])
    targets = list(FundingTarget.objects.all()[:2])
    funder = OrganisationFactory(name="Funder")

    def add(count):
        for n in range(count):
            opportunity(
                f"Fund {n}",
                closes=n + 1,
                countries=[spain],
                areas=areas,
                targets=targets,
                funder=funder,
            )

    vocabulary_tables()  # read once per process, as a running site has them
    return add


@pytest.mark.parametrize("count", [2, 15])
def test_list_query_counts_are_pinned(client, many, count, django_assert_num_queries):
    many(count)
    # types of funding and who may apply (the filters' choices), count, rows (with type and
    # funder), targets, countries, social areas
    with django_assert_num_queries(7):
        response = client.get(API, {"country": "spain", "page_size": 50})
        assert response.json()["count"] == count
    # the same request again: the whole answer comes from the cache
    with django_assert_num_queries(0):
        assert client.get(API, {"country": "spain", "page_size": 50}).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(API, {"search": "fund", "ordering": "relevance"}).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_item_query_count_is_pinned(client, many, count, django_assert_num_queries):
    many(count)
    item = Opportunity.objects.get(title="Fund 0")
    with django_assert_num_queries(4):  # row (with type and funder), targets, countries, areas
        assert client.get(f"{API}{item.slug}/").status_code == 200


# --- Schema -----------------------------------------------------------------------------------


def test_the_schema_describes_the_funding_filters_and_fields(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/funding/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert {"status", "type", "target", "country", "closes", "amount"} <= set(parameters)
    assert sorted(parameters["status"]["schema"]["enum"]) == ["closed", "open", "upcoming"]
    assert parameters["ordering"]["schema"]["enum"] == sorted(
        ["closes", "-closes", "published", "-published", "relevance"]
    )
    assert parameters["closes"]["schema"]["pattern"] == MONTH_SCHEMA["pattern"]
    assert parameters["amount"]["schema"]["type"] == "number"
    target = parameters["target"]["schema"]
    assert target["type"] == "array" and target["maxItems"] == 10
    assert "startup" in target["items"]["enum"]
    assert "spain" in parameters["country"]["schema"]["enum"]
    fields = schema["components"]["schemas"]["Opportunity"]["properties"]
    assert "state" in fields
