"""The events' open-data API: /api/v1/events/, its filters, pages, errors, caches and schema."""

import datetime as dt
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from directory.models import Country, SocialArea, Status
from directory.services.profiles import tags_from_names
from directory.tests.factories import OrganisationFactory
from events.models import Attendance
from events.services import event_create, event_reindex, events_changed
from events.tests.factories import EventFactory

API = "/api/v1/events/"
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))


def in_days(days, hour=17):
    return (timezone.now() + dt.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def event(title, *, days=7, hours=2, areas=(), tags=(), **fields):
    starts_at = in_days(days)
    created = EventFactory(
        title=title, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours), **fields
    )
    if areas or tags:
        created.social_areas.set(areas)
        created.tags.set(tags_from_names(tags))
        event_reindex(created)
    return created


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


@pytest.fixture
def events(db):
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    health = SocialArea.objects.get(slug="health-and-care")
    fablab = OrganisationFactory(name="Fab Lab Barcelona")
    return {
        "barcelona": event(
            "Barcelona meetup",
            days=3,
            country=spain,
            areas=[health],
            tags=["civic tech"],
            organiser=fablab,
            address="Pujades 102",
            latitude=41.39,
            longitude=2.19,
            link="https://meetup.example/bcn",
        ),
        "webinar": event(
            "Open data webinar",
            days=5,
            attendance=Attendance.ONLINE,
            city="",
            venue="",
            organiser_name="Open Knowledge",
        ),
        "paid": event(
            "Paid masterclass",
            days=9,
            is_free=False,
            price_note="30 € per person",
            country=france,
            city="Lyon",
        ),
        "old": event("Autumn summit", days=-30),
    }


# --- Lists and items --------------------------------------------------------------------------


def test_the_root_lists_the_events_endpoint(client, db):
    assert client.get("/api/v1/").json()["events"].endswith("/api/v1/events/")


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


def test_descriptions_are_cleaned_even_if_stored_otherwise(client, db):
    stored = event("Old row")
    type(stored).objects.filter(pk=stored.pk).update(
        description='<p onclick="x()">Hi<script>alert(1)</script></p>'
    )
    for url in (API, f"{API}{stored.slug}/"):
        body = client.get(url).json()
        item = body["results"][0] if "results" in body else body
        assert item["description"] == "<p>Hi</p>"


def test_an_unpublished_organiser_is_named_but_not_linked(client, db):
    hidden = OrganisationFactory(name="Draft org", status=Status.DRAFT)
    event("Hosted", organiser=hidden)
    item = client.get(API).json()["results"][0]
    assert item["organiser"] == {"name": "Draft org", "url": None, "api_url": None}


def test_a_series_is_one_item_with_its_next_ten_times(client, user):
    series = event_create(
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
    assert starts == expected and len(starts) == 10 and starts[0] > timezone.now()
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


def test_pagination_is_bounded_and_links_onwards(client, db):
    for n in range(5):
        event(f"Event {n}", days=n + 1)
    body = client.get(API, {"page_size": 2}).json()
    assert body["count"] == 5 and len(body["results"]) == 2
    assert "page=2" in body["next"] and body["previous"] is None
    last = client.get(API, {"page_size": 2, "page": 3}).json()
    assert [item["title"] for item in last["results"]] == ["Event 4"] and last["next"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"when": "soon"}, "when"),
        ({"month": "March"}, "month"),
        ({"month": "2027-13"}, "month"),
        ({"month": "1800-01"}, "month"),
        ({"country": "atlantis"}, "country"),
        ({"attendance": "telepathy"}, "attendance"),
        ({"free": "maybe"}, "free"),
        ({"area": "no-such-area"}, "area"),
        ({"city": "x" * 101}, "city"),
        ({"search": "x" * 201}, "search"),
        ({"ordering": "colour"}, "ordering"),
        ({"page": "two"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"page_size": "\u00b2"}, "page_size"),
    ],
)
def test_invalid_parameters_get_a_400_with_a_message_per_field(client, events, params, field):
    response = client.get(API, params)
    assert response.status_code == 400
    body = response.json()
    assert field in body and body[field] and all(isinstance(m, str) for m in body[field])


def test_a_page_past_the_last_is_a_404_that_says_so(client, events):
    response = client.get(API, {"page": 9})
    assert response.status_code == 404 and "1 page" in response.json()["detail"]


def test_control_characters_are_refused_or_ignored_never_a_500(client, events):
    response = client.get(API, {"search": "open\x00data", "city": "\x07", "month": "\x00"})
    assert response.status_code in (200, 400)


def test_the_api_is_read_only(client, events):
    slug = events["barcelona"].slug
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{API}{slug}/", content_type="application/json")
        assert response.status_code == 405
    assert client.post(API, {}).status_code == 405


def test_cross_origin_reads_are_allowed_and_only_reads(client, events):
    response = client.get(API, HTTP_ORIGIN="https://research.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        API, HTTP_ORIGIN="https://research.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


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


def test_cached_lists_follow_changes(client, events, django_capture_on_commit_callbacks):
    assert client.get(API).json()["count"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        event("Newcomer", days=1)
        events_changed()
    body = client.get(API).json()
    assert body["count"] == 4 and body["results"][0]["title"] == "Newcomer"


# --- Schema -----------------------------------------------------------------------------------


def test_the_schema_describes_the_events_operations(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/events/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert {
        "search",
        "when",
        "month",
        "country",
        "city",
        "attendance",
        "free",
        "area",
        "ordering",
        "page",
        "page_size",
    } <= set(parameters)
    assert "q" not in parameters
    assert sorted(parameters["when"]["schema"]["enum"]) == ["past", "upcoming"]
    assert sorted(parameters["free"]["schema"]["enum"]) == ["0", "1"]
    assert all(parameter.get("description") for parameter in parameters.values())
    assert parameters["ordering"]["schema"]["enum"] == sorted(
        ["start", "-start", "published", "-published", "relevance"]
    )
    assert parameters["month"]["schema"]["pattern"] == "^[0-9]{4}-[0-9]{2}$"
    assert parameters["country"]["schema"] == {"type": "string"}
    assert {"200", "400", "404", "429"} <= set(operation["responses"])
    item = schema["paths"]["/api/v1/events/{slug}/"]["get"]
    assert {"200", "404"} <= set(item["responses"])
    fields = schema["components"]["schemas"]["Event"]["properties"]
    assert "next_occurrences" in fields and "status" not in fields and "created_by" not in fields


@pytest.fixture
def events_schema(events, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    from dsi_hub.wsgi import application

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    yield schema.include(path_regex="^/api/v1/events/")
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_events_operations_answer_as_their_schema_says(events_schema):
    """Like directory/tests/test_api_fuzz.py, but with events to show (that run has none)."""
    failures, operations = {}, 0
    for result in events_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        try:
            run()
        except Exception as error:  # noqa: BLE001 - reported with the operation below
            failures[operation.label] = f"{type(error).__name__}: {error}"[:2000]
    assert operations == 2
    assert not failures, "\n\n".join(f"{label}\n{error}" for label, error in failures.items())
