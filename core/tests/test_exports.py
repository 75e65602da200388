"""What the downloads of events, funding opportunities and stories share (core.exports, served
by dsi_hub.views_data), tested once for each app: refusals, reading only, streamed attachments,
cross-origin reads, cleaned HTML, empty files, and their datapackage and data page entries.
What each app's files hold, its filters and what its files cost are tested in the app."""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from core.exports import Export
from core.tests.downloads import body
from core.tests.downloads import csv_rows
from core.tests.downloads import json_rows
from events.exports import EVENTS as EVENTS_EXPORT
from events.tests.factories import download_sample as event_sample
from events.tests.factories import event
from funding.exports import FUNDING as FUNDING_EXPORT
from funding.tests.factories import download_sample as funding_sample
from funding.tests.factories import opportunity
from stories.exports import STORIES as STORIES_EXPORT
from stories.tests.factories import download_sample as story_sample
from stories.tests.factories import story

DATAPACKAGE = "/data/datapackage.json"


@dataclass(frozen=True)
class App:
    """What these tests need to know of one app's downloads."""

    name: str  # /data/<name>.csv and .json, <name>-csv and -json in the datapackage
    export: Export
    key: str  # the header's first column, the files' primary key
    sample: Callable[[], dict]  # the app's published rows, and hidden ones, as its tests make them
    published: Callable[[str], object]  # one published row, in the whole download, by its title
    html: str  # the column of cleaned HTML
    refused: tuple[dict, dict]  # bad parameters of the JSON file (one of them "atlantis"), of CSV
    odd: tuple[dict, ...]  # odd queries: a file or a 400
    parameters: tuple[str, ...]  # the app's own parameters, explained on the data page
    streamed: dict  # a query whose file is made as it is sent, never read from a kept one

    @property
    def csv(self) -> str:
        return f"/data/{self.name}.csv"

    @property
    def json(self) -> str:
        return f"/data/{self.name}.json"


EVENTS = App(
    name="events",
    export=EVENTS_EXPORT,
    key="event_id",
    sample=event_sample,
    published=event,
    html="description",
    refused=(
        {"country": "atlantis", "when": "soon", "month": "March", "free": "maybe"},
        {"attendance": "telepathy", "q": "x" * 201},
    ),
    odd=(
        {"q": "\x00\x1f nul"},
        {"q": "", "country": "", "when": "", "month": ""},
        {"when": ["past", "upcoming"], "free": ["0", "1"]},
        {"city": "x" * 101},
        {"month": "\x00"},
        {"page": "-1", "unknown": "ignored"},
    ),
    parameters=("when", "month", "attendance", "free"),
    streamed={},
)
FUNDING = App(
    name="funding",
    export=FUNDING_EXPORT,
    key="opportunity_id",
    sample=funding_sample,
    published=opportunity,
    html="description",
    refused=(
        {"country": "atlantis", "status": "soon", "closes": "March", "amount": "lots"},
        {"type": "lottery", "q": "x" * 201},
    ),
    odd=(
        {"q": "\x00\x1f nul"},
        {"q": "", "country": "", "status": "", "closes": "", "amount": ""},
        {"status": ["open", "closed"], "target": ["startup", "individuals"]},
        {"target": ["startup"] * 11},
        {"closes": "\x00", "amount": "1e400"},
        {"page": "-1", "unknown": "ignored"},
    ),
    parameters=("status", "target", "closes", "amount"),
    streamed={},
)
STORIES = App(
    name="stories",
    export=STORIES_EXPORT,
    key="story_id",
    sample=story_sample,
    published=story,
    html="body",
    refused=(
        {"kind": "poem", "category": "atlantis", "area": "nowhere"},
        {"kind": "poem", "q": "x" * 201},
    ),
    odd=(
        {"q": "\x00\x1f nul"},
        {"q": "", "kind": "", "category": "", "area": ""},
        {"kind": ["news", "blog"], "category": ["events", "interviews"]},
        {"kind": "\x00"},
        {"page": "-1", "unknown": "ignored"},
    ),
    parameters=("kind", "category", "area", "q"),
    streamed={"kind": "news"},  # a whole download of stories is kept as a file
)
APPS = [EVENTS, FUNDING, STORIES]


@pytest.fixture(params=APPS, ids=[app.name for app in APPS])
def app(request):
    return request.param


@pytest.fixture
def shown(app, db):
    return app.sample()


# --- What the files hold ---------------------------------------------------------------------


def test_html_is_cleaned_even_if_stored_otherwise(app, client, db):
    stored = app.published("Old row")
    type(stored).objects.filter(pk=stored.pk).update(
        **{app.html: '<p onclick="x()">Hi<script>alert(1)</script></p>'}
    )
    assert json_rows(client.get(app.json))[0][app.html] == "<p>Hi</p>"
    assert csv_rows(client.get(app.csv, app.streamed))[0][app.html] == "<p>Hi</p>"


def test_empty_results_are_still_valid_files(app, client, shown):
    assert json_rows(client.get(app.json, {"q": "nothing matches this"})) == []
    header = body(client.get(app.csv, {"q": "nothing"})).splitlines()
    assert header == [",".join(app.export.header)]


# --- Refusals ----------------------------------------------------------------------------------


def test_bad_parameters_get_a_400_with_a_message_per_field(app, client, shown):
    json_query, csv_query = app.refused
    response = client.get(app.json, json_query)
    assert response.status_code == 400 and not response.streaming
    errors = response.json()
    assert set(errors) == set(json_query)
    (unknown,) = [name for name, value in json_query.items() if value == "atlantis"]
    assert "atlantis" in errors[unknown][0]
    response = client.get(app.csv, csv_query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("The download was refused")
    assert {line.split(":")[0] for line in lines[1:]} == set(csv_query)


@pytest.mark.parametrize(
    ("app", "query"),
    [
        pytest.param(app, query, id=f"{app.name}-{n}")
        for app in APPS
        for n, query in enumerate(app.odd)
    ],
)
def test_odd_queries_get_a_file_or_a_400_never_an_error(app, client, shown, query):
    for url in (app.csv, app.json):
        response = client.get(url, query)
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert body(response).startswith((app.key, "["))


def test_only_reading_is_allowed(app, client, shown):
    assert client.post(app.csv).status_code == 405
    response = client.head(app.json, app.streamed)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b""
    assert "attachment" in response["Content-Disposition"]


# --- Streaming and headers ---------------------------------------------------------------------


def test_downloads_are_streamed_attachments(app, client, shown):
    today = timezone.localdate().isoformat()
    response = client.get(app.csv)
    assert response.streaming is True
    disposition = f'attachment; filename="dsi-hub-{app.name}-{today}.csv"'
    assert response["Content-Disposition"] == disposition
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    body(response)


@pytest.mark.parametrize("app", [EVENTS, FUNDING], ids=["events", "funding"])
def test_what_moves_with_the_clock_is_never_kept_as_a_file(app, client, shown, settings):
    """What is upcoming or open moves with the clock: a whole download is made each time."""
    body(client.get(app.csv))
    folder = Path(settings.DOWNLOAD_FILES_DIR)
    assert not folder.exists() or not list(folder.glob(f"{app.name}-*"))
    again = client.get(app.csv)
    assert again.streaming and not again.has_header("Content-Length")
    body(again)


def test_cross_origin_reads_are_allowed(app, client, shown):
    response = client.get(app.json, HTTP_ORIGIN="https://research.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    body(response)


def test_the_first_bytes_go_out_before_any_query(app, client, shown, django_assert_num_queries):
    pieces = client.get(app.json, app.streamed).streaming_content
    with django_assert_num_queries(0):
        assert next(pieces) == b"["
    assert json.loads(b"[" + b"".join(pieces))


# --- The data page and datapackage.json --------------------------------------------------------


def test_the_datapackage_describes_the_files(app, client, shown):
    package = client.get(DATAPACKAGE).json()
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert {f"{app.name}-csv", f"{app.name}-json"} <= set(resources)
    csv_resource, json_resource = resources[f"{app.name}-csv"], resources[f"{app.name}-json"]
    assert csv_resource["path"] == f"{settings.SITE_URL}/data/{app.name}.csv"
    assert json_resource["path"] == f"{settings.SITE_URL}/data/{app.name}.json"
    assert csv_resource["profile"] == "tabular-data-resource"
    assert csv_resource["mediatype"] == "text/csv" and json_resource["format"] == "json"
    schema = csv_resource["schema"]
    header = next(csv.reader(io.StringIO(body(client.get(app.csv)))))
    assert [field["name"] for field in schema["fields"]] == header
    types = {"string", "integer", "number", "boolean", "date", "datetime"}
    assert all(field["type"] in types and field["description"] for field in schema["fields"])
    assert schema["primaryKey"] == app.key
    assert schema["fields"][0]["constraints"] == {"required": True, "unique": True}
    fields = {field["name"]: field for field in schema["fields"]}
    assert fields["url"]["format"] == "uri"
    assert app.name in package["description"]


def test_the_data_page_explains_and_links_the_files(app, client, db):
    html = client.get("/en/data/").content.decode()
    for url in (app.csv, app.json):
        assert f'href="{url}"' in html
    assert f'id="fields-{app.name}"' in html
    assert f"The {len(app.export.columns)} fields of the {app.name} files" in html
    for column in app.export.columns:
        assert f"<code>{column.name}</code>" in html
    for parameter in app.parameters:
        assert f"<code>{parameter}</code>" in html
