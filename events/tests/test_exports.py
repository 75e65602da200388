"""Bulk downloads of published events: /data/events.csv and .json, and their datapackage entry.

What every app's downloads share (refusals, streaming, headers, the data page...) is tested once
for each in core/tests/test_exports.py, with download_sample() from factories.py."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone

from core.exports import EXPORTS
from core.exports import LIST_SEPARATOR
from core.models import Status
from core.tests.downloads import body
from core.tests.downloads import csv_rows
from core.tests.downloads import json_rows
from directory.models import Country
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from events.exports import EVENTS
from events.services import LIFECYCLE
from events.tests.factories import download_sample
from events.tests.factories import event
from events.tests.factories import in_days

EVENTS_CSV = "/data/events.csv"
EVENTS_JSON = "/data/events.json"
DATAPACKAGE = "/data/datapackage.json"
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def events(db):
    return download_sample()


# --- What the files hold ---------------------------------------------------------------------


def test_events_csv_holds_upcoming_published_events_with_their_fields(client, events):
    rows = csv_rows(client.get(EVENTS_CSV))
    assert [row["title"] for row in rows] == [
        "Barcelona meetup",
        "Open data webinar",
        "Hosted by a draft",
    ]
    barcelona = events["barcelona"]
    row = rows[0]
    assert list(row) == EVENTS.header
    assert row["event_id"] == str(barcelona.pk) and row["slug"] == barcelona.slug
    assert row["url"] == f"{settings.SITE_URL}/en/events/{barcelona.slug}/"
    assert row["ics_url"] == f"{settings.SITE_URL}/en/events/{barcelona.slug}.ics"
    assert row["short_description"] == barcelona.short_description
    assert row["description"] == barcelona.description  # quotes and line breaks survive
    assert row["starts_at"] == utc(barcelona.starts_at)
    assert row["ends_at"] == utc(barcelona.ends_at)
    assert row["occurrence_starts_at"] == row["starts_at"]
    assert row["occurrence_ends_at"] == row["ends_at"]
    assert (row["time_zone"], row["recurrence"]) == ("Europe/Brussels", "")
    assert row["attendance"] == "in_person"
    assert (row["venue"], row["address"], row["city"]) == (
        "Fab Lab Barcelona",
        "Pujades 102",
        "Barcelona",
    )
    assert (row["country"], row["country_code"]) == ("Spain", "ES")
    assert (row["latitude"], row["longitude"]) == ("41.39", "2.19")
    assert row["link"] == "https://meetup.example/bcn"
    assert (row["is_free"], row["price_note"]) == ("true", "")
    fablab = barcelona.organiser
    assert row["organiser"] == "Fab Lab Barcelona"
    assert row["organiser_organisation_id"] == str(fablab.pk)
    assert row["organiser_url"] == f"{settings.SITE_URL}/en/organisations/fab-lab-barcelona/"
    # in the vocabulary's order, and tags by name
    assert row["social_areas"] == LIST_SEPARATOR.join(["Health and care", "Digital democracy"])
    assert row["tags"] == "Civic tech; makers"
    assert MOMENT.match(row["published"]) and MOMENT.match(row["updated"])
    assert row["licence"] == "CC BY 4.0"
    assert row["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    for private in ("status", "created_by", "rejection", "spam", "search", "facet", "email"):
        assert not [name for name in row if private in name]

    webinar = rows[1]
    assert webinar["attendance"] == "online" and webinar["country"] == ""
    assert webinar["organiser"] == "Open Knowledge"
    assert webinar["organiser_organisation_id"] == webinar["organiser_url"] == ""
    assert (webinar["is_free"], webinar["price_note"]) == ("false", "'=10 €")  # no formula
    # an organiser that is not published is named, not linked
    hosted = rows[2]
    assert hosted["organiser"] == "Draft host"
    assert hosted["organiser_organisation_id"] == hosted["organiser_url"] == ""


def test_json_has_the_same_fields_with_real_lists_numbers_and_nulls(client, events):
    rows = {row["title"]: row for row in json_rows(client.get(EVENTS_JSON))}
    barcelona, webinar = rows["Barcelona meetup"], rows["Open data webinar"]
    assert list(barcelona) == EVENTS.header
    assert barcelona["event_id"] == events["barcelona"].pk
    assert barcelona["social_areas"] == ["Health and care", "Digital democracy"]
    assert barcelona["tags"] == ["Civic tech", "makers"]
    assert barcelona["latitude"] == 41.39 and barcelona["is_free"] is True
    assert barcelona["organiser_organisation_id"] == events["barcelona"].organiser_id
    assert webinar["latitude"] is None and webinar["is_free"] is False
    assert webinar["price_note"] == "=10 €"  # JSON is data: kept as it is
    assert webinar["organiser_organisation_id"] is None and webinar["tags"] == []


def test_a_series_is_one_row_at_its_next_time(client, user):
    first = in_days(-14)
    series = LIFECYCLE.create(
        user=user,
        title="Weekly hack night",
        fields={
            "starts_at": first,
            "ends_at": first + dt.timedelta(hours=2),
            "recurrence": "FREQ=WEEKLY;COUNT=6",
            "time_zone": "Europe/Madrid",
            "city": "Valencia",
        },
        status=Status.PUBLISHED,
    )
    rows = json_rows(client.get(EVENTS_JSON))
    assert len(rows) == 1
    row = rows[0]
    upcoming = series.occurrences.filter(ends_at__gte=timezone.now()).order_by("starts_at")[0]
    assert row["starts_at"] == utc(first)
    assert row["occurrence_starts_at"] == utc(upcoming.starts_at)
    assert row["occurrence_ends_at"] == utc(upcoming.ends_at)
    assert (row["recurrence"], row["time_zone"]) == ("FREQ=WEEKLY;COUNT=6", "Europe/Madrid")
    past = json_rows(client.get(EVENTS_JSON, {"when": "past"}))
    assert past == []


def test_nothing_unpublished_appears_in_any_file(client, events):
    for url in (EVENTS_CSV, EVENTS_JSON):
        for query in ({}, {"when": "past"}):
            assert "Hidden" not in body(client.get(url, query))


# --- Filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"when": "past"}, ["Autumn summit"]),
        ({"country": "spain"}, ["Barcelona meetup"]),
        ({"city": "BARCELONA"}, ["Barcelona meetup", "Hosted by a draft"]),
        ({"attendance": "online"}, ["Open data webinar"]),
        ({"free": "0"}, ["Open data webinar"]),
        ({"area": "digital-democracy"}, ["Barcelona meetup"]),
        ({"q": "webinar"}, ["Open data webinar"]),
        ({"q": "summit", "when": "past"}, ["Autumn summit"]),
        ({"country": "spain", "free": "0"}, []),
    ],
)
def test_filters_are_those_of_the_events_list(client, events, query, expected):
    for url in (EVENTS_CSV, EVENTS_JSON):
        rows = (csv_rows if url.endswith("csv") else json_rows)(client.get(url, query))
        assert [row["title"] for row in rows] == expected
    page = client.get("/en/events/", query)
    assert [event.title for event in page.context["events"]] == expected


def test_the_month_filter_and_past_events_latest_first(client, db):
    soon = event("Next month", days=40)
    event("Much later", days=200)
    month = timezone.localtime(soon.starts_at).strftime("%Y-%m")
    assert [row["title"] for row in json_rows(client.get(EVENTS_JSON, {"month": month}))] == [
        "Next month"
    ]
    event("Long ago", days=-60)
    event("Not long ago", days=-5)
    rows = json_rows(client.get(EVENTS_JSON, {"when": "past"}))
    assert [row["title"] for row in rows] == ["Not long ago", "Long ago"]


# --- Cost -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [EVENTS_CSV, EVENTS_JSON])
def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, db, django_assert_num_queries, monkeypatch, url
):
    monkeypatch.setattr("core.exports.CHUNK_SIZE", 5)  # several fetches for 30 rows
    spain = Country.objects.get(code="ES")
    areas = list(SocialArea.objects.all()[:2])
    host = OrganisationFactory(name="Host")

    def add(count):
        for n in range(count):
            event(f"Event {n}", days=n + 1, country=spain, areas=areas, tags=["a", "b"])
            event(f"Hosted {n}", days=n + 1, organiser=host)

    add(2)
    body(client.get(url))  # the vocabularies' tables are cached from here on
    # the countries' codes, the tags; then the cursor's settings and the rows, in a transaction
    # (a savepoint and its release here, inside the test's transaction; none in production)
    with django_assert_num_queries(6):
        few = body(client.get(url)).count("\n")
    add(13)
    with django_assert_num_queries(6):
        many = body(client.get(url)).count("\n")
    assert many > few + 20


# --- The registry and datapackage.json ------------------------------------------------------


def test_events_are_one_of_the_downloads(client, db):
    assert EXPORTS["events"] is EVENTS
    assert list(EXPORTS)[:3] == ["organisations", "projects", "events"]


def test_the_datapackage_types_the_events_fields(client, db):
    package = client.get(DATAPACKAGE).json()
    resources = {resource["name"]: resource for resource in package["resources"]}
    fields = {field["name"]: field for field in resources["events-csv"]["schema"]["fields"]}
    assert fields["tags"]["type"] == "string"
    assert fields["starts_at"]["type"] == "datetime" and fields["is_free"]["type"] == "boolean"
