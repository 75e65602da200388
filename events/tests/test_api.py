"""The events' open-data API: /api/v1/events/, its items, filters, ordering, query counts and
schema.

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
from events.services import LIFECYCLE
from events.tests.factories import EventFactory
from events.tests.factories import api_sample
from events.tests.factories import event
from events.tests.factories import in_days

API = "/api/v1/events/"


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


@pytest.fixture
def events(db):
    return api_sample()


# --- Lists and items --------------------------------------------------------------------------


def test_upcoming_published_events_with_the_public_fields(client, events, settings):
    EventFactory(title="Hidden draft", status=Status.DRAFT)
    EventFactory(title="Pending one", status=Status.PENDING)
    response = client.get(API, HTTP_ACCEPT="application/json")
    body = response.json()
    assert body["count"] == 3 and body["next"] is None and body["previous"] is None
    assert titles(response) == ["Barcelona meetup", "Open data webinar", "Paid masterclass"]
    item = body["results"][0]
    barcelona = events["barcelona"]
    slug = barcelona.slug
    assert item["id"] == barcelona.pk and item["slug"] == slug
    assert item["url"] == f"{settings.SITE_URL}/en/events/{slug}/"
    assert item["api_url"] == f"{settings.SITE_URL}/api/v1/events/{slug}/"
    assert item["ics_url"] == f"{settings.SITE_URL}/en/events/{slug}.ics"
    assert item["description"] == barcelona.description
    assert item["short_description"] == barcelona.short_description
    assert dt.datetime.fromisoformat(item["starts_at"]) == barcelona.starts_at
    assert dt.datetime.fromisoformat(item["ends_at"]) == barcelona.ends_at
    assert item["time_zone"] == "Europe/Brussels" and item["recurrence"] == ""
    assert [
        (dt.datetime.fromisoformat(o["starts_at"]), dt.datetime.fromisoformat(o["ends_at"]))
        for o in item["next_occurrences"]
    ] == [(barcelona.starts_at, barcelona.ends_at)]
    assert item["attendance"] == "in_person"
    assert (item["venue"], item["address"], item["city"]) == (
        "Fab Lab Barcelona",
        "Pujades 102",
        "Barcelona",
    )
    assert item["country"] == {"slug": "spain", "name": "Spain", "code": "ES"}
    assert (item["latitude"], item["longitude"]) == (41.39, 2.19)
    assert item["link"] == "https://meetup.example/bcn"
    assert item["is_free"] is True and item["price_note"] == ""
    assert item["organiser"] == {
        "name": "Fab Lab Barcelona",
        "url": f"{settings.SITE_URL}/en/organisations/fab-lab-barcelona/",
        "api_url": f"{settings.SITE_URL}/api/v1/organisations/fab-lab-barcelona/",
    }
    assert item["social_areas"] == [{"slug": "health-and-care", "name": "Health and care"}]
    assert item["tags"] == [{"slug": "civic-tech", "name": "civic tech"}]
    assert item["licence"]["code"] == "CC-BY-4.0"
    assert item["published"] and item["updated"]
    for private in ("status", "created_by", "rejection_reason", "spam_signals", "facet_keys"):
        assert private not in item
    assert "search_" not in response.content.decode()

    webinar, paid = body["results"][1:]
    assert webinar["organiser"] == {"name": "Open Knowledge", "url": None, "api_url": None}
    assert webinar["country"] is None and webinar["attendance"] == "online"
    assert webinar["link"] is None
    assert paid["is_free"] is False and paid["price_note"] == "30 € per person"
    assert paid["organiser"] is None


def test_an_unpublished_organiser_is_named_but_not_linked(client, db):
    hidden = OrganisationFactory(name="Draft org", status=Status.DRAFT)
    event("Hosted", organiser=hidden)
    item = client.get(API).json()["results"][0]
    assert item["organiser"] == {"name": "Draft org", "url": None, "api_url": None}


def test_a_series_is_one_item_with_its_next_ten_times(client, user):
    series = LIFECYCLE.create(
        user=user,
        title="Weekly hack night",
        fields={
            "starts_at": in_days(-14),
            "ends_at": in_days(-14) + dt.timedelta(hours=2),
            "recurrence": "FREQ=WEEKLY;COUNT=20",
            "time_zone": "Europe/Madrid",
            "city": "Valencia",
        },
        status=Status.PUBLISHED,
    )
    body = client.get(API).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["recurrence"] == "FREQ=WEEKLY;COUNT=20" and item["time_zone"] == "Europe/Madrid"
    starts = [dt.datetime.fromisoformat(o["starts_at"]) for o in item["next_occurrences"]]
    expected = list(
        series.occurrences.filter(ends_at__gte=timezone.now())
        .order_by("starts_at")
        .values_list("starts_at", flat=True)[:10]
    )
    # The first has not ended (it may be under way: the series meets at a fixed hour).
    assert starts == expected and len(starts) == 10
    assert starts[0] + dt.timedelta(hours=2) >= timezone.now()
    detail = client.get(f"{API}{series.slug}/").json()
    assert detail["next_occurrences"] == item["next_occurrences"]


def test_one_item_by_slug_and_unpublished_ones_are_not_found(client, events):
    old = events["old"]
    response = client.get(f"{API}{old.slug}/")
    assert response.status_code == 200 and response.json()["title"] == "Autumn summit"
    assert response.json()["next_occurrences"] == []
    for status in (Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED):
        hidden = EventFactory(status=status)
        assert client.get(f"{API}{hidden.slug}/").status_code == 404
    missing = client.get(f"{API}no-such-event/")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_country_and_area_names_in_the_asked_language(client, events):
    item = client.get(API, HTTP_ACCEPT_LANGUAGE="de").json()["results"][0]
    assert item["country"]["name"] == "Spanien"
    health = SocialArea.objects.get(slug="health-and-care")
    assert item["social_areas"][0]["name"] == health.name_de
    # one address whatever the language
    assert "/en/events/" in item["url"] and "/en/events/" in item["ics_url"]


# --- Filters, search, ordering, pagination ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"when": "past"}, ["Autumn summit"]),
        ({"when": "upcoming"}, ["Barcelona meetup", "Open data webinar", "Paid masterclass"]),
        ({"country": "spain"}, ["Barcelona meetup"]),
        ({"city": "LYON"}, ["Paid masterclass"]),
        ({"attendance": "online"}, ["Open data webinar"]),
        ({"attendance": "in_person"}, ["Barcelona meetup", "Paid masterclass"]),
        ({"free": "0"}, ["Paid masterclass"]),
        ({"free": "1"}, ["Barcelona meetup", "Open data webinar"]),
        ({"area": "health-and-care"}, ["Barcelona meetup"]),
        ({"search": "webinar"}, ["Open data webinar"]),
        ({"search": "summit"}, []),  # upcoming only, unless asked
        ({"search": "summit", "when": "past"}, ["Autumn summit"]),
        ({"country": "france", "free": "0", "city": "lyon"}, ["Paid masterclass"]),
        ({"country": "france", "free": "1"}, []),
        ({"q": "webinar"}, ["Barcelona meetup", "Open data webinar", "Paid masterclass"]),
    ],
)
def test_each_filter_of_the_list(client, events, query, expected):
    assert titles(client.get(API, query)) == expected


def test_the_month_filter(client, db):
    soon = event("Next month", days=40)
    event("Much later", days=200)
    month = timezone.localtime(soon.starts_at).strftime("%Y-%m")
    assert titles(client.get(API, {"month": month})) == ["Next month"]


def test_the_same_query_gives_the_same_events_as_the_page(client, events):
    for query in ({}, {"when": "past"}, {"free": "1"}, {"country": "spain"}):
        page = client.get("/en/events/", query)
        assert [e.title for e in page.context["events"]] == titles(client.get(API, query))


def test_ordering(client, events):
    upcoming = ["Barcelona meetup", "Open data webinar", "Paid masterclass"]
    assert titles(client.get(API, {"ordering": "start"})) == upcoming
    assert titles(client.get(API, {"ordering": "-start"})) == upcoming[::-1]
    now = timezone.now()
    for days, name in ((1, "paid"), (2, "barcelona"), (3, "webinar")):
        type(events[name]).objects.filter(pk=events[name].pk).update(
            published_at=now - dt.timedelta(days=days)
        )
    assert titles(client.get(API, {"ordering": "-published"})) == [
        "Paid masterclass",
        "Barcelona meetup",
        "Open data webinar",
    ]
    assert titles(client.get(API, {"ordering": "published"})) == [
        "Open data webinar",
        "Barcelona meetup",
        "Paid masterclass",
    ]


def test_past_events_latest_first_and_relevance_with_a_search(client, db):
    event("Long ago", days=-60)
    event("Not long ago", days=-5)
    assert titles(client.get(API, {"when": "past"})) == ["Not long ago", "Long ago"]
    event("Open data day", days=4, short_description="Open data, open data, open data")
    event("Meetup about data", days=2, short_description="Some talks")
    found = titles(client.get(API, {"search": "data", "ordering": "relevance"}))
    assert found == ["Open data day", "Meetup about data"]
    assert titles(client.get(API, {"search": "data"})) == found[::-1]  # by date
    # relevance without a search: the default order
    assert titles(client.get(API, {"ordering": "relevance"})) == [
        "Meetup about data",
        "Open data day",
    ]


def test_anonymous_clients_are_throttled(client, db, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get(API).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


# --- Caches and query counts ------------------------------------------------------------------


@pytest.fixture
def many(db):
    from directory.vocabularies import vocabulary_tables

    spain = Country.objects.get(code="ES")
    areas = list(SocialArea.objects.all()[:2])
    organisation = OrganisationFactory(name="Host")

    def add(count):
        for n in range(count):
            event(
                f"Event {n}",
                days=n + 1,
                country=spain,
                areas=areas,
                tags=["one", "two"],
                organiser=organisation,
            )

    vocabulary_tables()  # read once per process, as a running site has them
    return add


@pytest.mark.parametrize("count", [2, 15])
def test_list_query_counts_are_pinned(client, many, count, django_assert_num_queries):
    many(count)
    # count, rows (with country and organiser), social areas, tags, next times
    with django_assert_num_queries(5):
        response = client.get(API, {"country": "spain", "page_size": 50})
        assert response.json()["count"] == count
    # the same request again: the whole answer comes from the cache
    with django_assert_num_queries(0):
        assert client.get(API, {"country": "spain", "page_size": 50}).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(API, {"search": "event", "ordering": "relevance"}).status_code == 200


@pytest.mark.parametrize("rule", ["", "FREQ=DAILY;COUNT=30"])
def test_item_query_count_is_pinned(client, many, rule, django_assert_num_queries):
    many(1)
    item = event("Item", recurrence=rule, tags=["x", "y"])
    with django_assert_num_queries(4):  # row, social areas, tags, next times
        assert client.get(f"{API}{item.slug}/").status_code == 200


# --- Schema -----------------------------------------------------------------------------------


def test_the_schema_describes_the_events_filters_and_fields(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/events/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert {"when", "month", "country", "city", "attendance", "free"} <= set(parameters)
    assert sorted(parameters["when"]["schema"]["enum"]) == ["past", "upcoming"]
    assert sorted(parameters["free"]["schema"]["enum"]) == ["0", "1"]
    assert parameters["ordering"]["schema"]["enum"] == sorted(
        ["start", "-start", "published", "-published", "relevance"]
    )
    assert parameters["month"]["schema"]["pattern"] == MONTH_SCHEMA["pattern"]
    assert "spain" in parameters["country"]["schema"]["enum"]
    fields = schema["components"]["schemas"]["Event"]["properties"]
    assert "next_occurrences" in fields
