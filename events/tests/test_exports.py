"""Bulk downloads of published events: /data/events.csv and .json, and their datapackage entry."""

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from directory.exports import EXPORTS, LIST_SEPARATOR
from directory.models import Country, SocialArea, Status
from directory.services.profiles import tags_from_names
from directory.tests.factories import OrganisationFactory
from events.exports import EVENTS
from events.models import Attendance
from events.services import event_create, event_reindex
from events.tests.factories import EventFactory

EVENTS_CSV = "/data/events.csv"
EVENTS_JSON = "/data/events.json"
DATAPACKAGE = "/data/datapackage.json"
HIDDEN = [Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED]
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body(response), newline="")))


def json_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(body(response))


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def in_days(days, hour=17):
    return (timezone.now() + dt.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def event(title, *, days=7, areas=(), tags=(), **fields):
    starts_at = in_days(days)
    created = EventFactory(
        title=title, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2), **fields
    )
    if areas or tags:
        created.social_areas.set(areas)
        created.tags.set(tags_from_names(tags))
        event_reindex(created)
    return created


@pytest.fixture
def events(db):
    spain = Country.objects.get(code="ES")
    health = SocialArea.objects.get(slug="health-and-care")
    democracy = SocialArea.objects.get(slug="digital-democracy")
    fablab = OrganisationFactory(name="Fab Lab Barcelona")
    hidden_host = OrganisationFactory(name="Draft host", status=Status.DRAFT)
    for status in HIDDEN:
        EventFactory(title=f"Hidden {status} event", status=status)
    return {
        "barcelona": event(
            "Barcelona meetup",
            days=3,
            country=spain,
            areas=[health, democracy],
            tags=["makers", "Civic tech"],
            organiser=fablab,
            address="Pujades 102",
            latitude=41.39,
            longitude=2.19,
            link="https://meetup.example/bcn",
            description='<p>Talks, "demos".</p>\n<p>Second line</p>',
        ),
        "webinar": event(
            "Open data webinar",
            days=5,
            attendance=Attendance.ONLINE,
            city="",
            venue="",
            organiser_name="Open Knowledge",
            is_free=False,
            price_note="=10 €",
        ),
        "hosted": event("Hosted by a draft", days=6, organiser=hidden_host),
        "old": event("Autumn summit", days=-30),
    }


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


def test_descriptions_are_cleaned_even_if_stored_otherwise(client, db):
    stored = event("Old row")
    type(stored).objects.filter(pk=stored.pk).update(
        description='<p onclick="x()">Hi<script>alert(1)</script></p>'
    )
    assert json_rows(client.get(EVENTS_JSON))[0]["description"] == "<p>Hi</p>"
    assert csv_rows(client.get(EVENTS_CSV))[0]["description"] == "<p>Hi</p>"


def test_a_series_is_one_row_at_its_next_time(client, user):
    first = in_days(-14)
    series = event_create(
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


def test_empty_results_are_still_valid_files(client, events):
    assert json_rows(client.get(EVENTS_JSON, {"q": "nothing matches this"})) == []
    header = body(client.get(EVENTS_CSV, {"q": "nothing"})).splitlines()
    assert header == [",".join(EVENTS.header)]


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


# --- Refusals ----------------------------------------------------------------------------------


def test_bad_parameters_get_a_400_with_a_message_per_field(client, events):
    query = {"country": "atlantis", "when": "soon", "month": "March", "free": "maybe"}
    response = client.get(EVENTS_JSON, query)
    assert response.status_code == 400 and not response.streaming
    errors = response.json()
    assert set(errors) == {"country", "when", "month", "free"}
    assert "atlantis" in errors["country"][0]
    response = client.get(EVENTS_CSV, {"attendance": "telepathy", "q": "x" * 201})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("The download was refused")
    assert {line.split(":")[0] for line in lines[1:]} == {"attendance", "q"}


@pytest.mark.parametrize(
    "query",
    [
        {"q": "\x00\x1f nul"},
        {"q": "", "country": "", "when": "", "month": ""},
        {"when": ["past", "upcoming"], "free": ["0", "1"]},
        {"city": "x" * 101},
        {"month": "\x00"},
        {"page": "-1", "unknown": "ignored"},
    ],
)
def test_odd_queries_get_a_file_or_a_400_never_an_error(client, events, query):
    for url in (EVENTS_CSV, EVENTS_JSON):
        response = client.get(url, query)
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert body(response).startswith(("event_id", "["))


def test_only_reading_is_allowed(client, events):
    assert client.post(EVENTS_CSV).status_code == 405
    response = client.head(EVENTS_JSON)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b""
    assert "attachment" in response["Content-Disposition"]


# --- Streaming, headers and cost ---------------------------------------------------------------


def test_downloads_are_streamed_attachments_and_never_kept_as_files(client, events, settings):
    today = timezone.localdate().isoformat()
    response = client.get(EVENTS_CSV)
    assert response.streaming is True
    disposition = f'attachment; filename="dsi-hub-events-{today}.csv"'
    assert response["Content-Disposition"] == disposition
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    body(response)
    # what is upcoming moves with the clock: a whole download is made each time, not kept
    folder = Path(settings.DOWNLOAD_FILES_DIR)
    assert not folder.exists() or not list(folder.glob("events-*"))
    again = client.get(EVENTS_CSV)
    assert again.streaming and not again.has_header("Content-Length")
    body(again)


def test_cross_origin_reads_are_allowed(client, events):
    response = client.get(EVENTS_JSON, HTTP_ORIGIN="https://research.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    body(response)


def test_the_first_bytes_go_out_before_any_query(client, events, django_assert_num_queries):
    pieces = client.get(EVENTS_JSON).streaming_content
    with django_assert_num_queries(0):
        assert next(pieces) == b"["
    assert json.loads(b"[" + b"".join(pieces))


@pytest.mark.parametrize("url", [EVENTS_CSV, EVENTS_JSON])
def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, db, django_assert_num_queries, monkeypatch, url
):
    monkeypatch.setattr("directory.exports.CHUNK_SIZE", 5)  # several fetches for 30 rows
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


# --- The registry, the data page and datapackage.json ------------------------------------------


def test_events_are_one_of_the_downloads(client, db):
    assert EXPORTS["events"] is EVENTS
    assert list(EXPORTS)[:3] == ["organisations", "projects", "events"]


def test_the_datapackage_describes_the_events_files(client, events):
    package = client.get(DATAPACKAGE).json()
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert {"events-csv", "events-json"} <= set(resources)
    csv_resource, json_resource = resources["events-csv"], resources["events-json"]
    assert csv_resource["path"] == f"{settings.SITE_URL}/data/events.csv"
    assert json_resource["path"] == f"{settings.SITE_URL}/data/events.json"
    assert csv_resource["profile"] == "tabular-data-resource"
    assert csv_resource["mediatype"] == "text/csv" and json_resource["format"] == "json"
    schema = csv_resource["schema"]
    header = next(csv.reader(io.StringIO(body(client.get(EVENTS_CSV)))))
    assert [field["name"] for field in schema["fields"]] == header
    types = {"string", "integer", "number", "boolean", "date", "datetime"}
    assert all(field["type"] in types and field["description"] for field in schema["fields"])
    assert schema["primaryKey"] == "event_id"
    assert schema["fields"][0]["constraints"] == {"required": True, "unique": True}
    fields = {field["name"]: field for field in schema["fields"]}
    assert fields["url"]["format"] == "uri" and fields["tags"]["type"] == "string"
    assert fields["starts_at"]["type"] == "datetime" and fields["is_free"]["type"] == "boolean"
    assert "events" in package["description"]


def test_the_data_page_explains_and_links_the_events_files(client, db):
    html = client.get("/en/data/").content.decode()
    for url in (EVENTS_CSV, EVENTS_JSON):
        assert f'href="{url}"' in html
    assert f"The {len(EVENTS.columns)} fields of the events files" in html
    for column in EVENTS.columns:
        assert f"<code>{column.name}</code>" in html
    for parameter in ("when", "month", "attendance", "free"):
        assert f"<code>{parameter}</code>" in html
