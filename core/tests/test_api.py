"""What the open-data API of events, funding opportunities and stories shares (core.api and the
apps' API views built on it), tested once for each app: the root's links, pages, refusals,
reading only, cross-origin reads, cached lists, the schema's common parts and a fuzz run. What
each app's items hold, its filters, ordering and query counts are tested in the app."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from core.models import Status
from core.tests.fuzz import api_schema as fuzz_api_schema
from core.tests.fuzz import failures_text
from core.tests.fuzz import fuzz
from events.services import events_changed
from events.tests.factories import api_sample as event_sample
from events.tests.factories import event
from funding.services import opportunities_changed
from funding.tests.factories import api_sample as funding_sample
from funding.tests.factories import opportunity
from stories.models import EditorialStatus
from stories.services import stories_changed
from stories.tests.factories import ago
from stories.tests.factories import api_sample as story_sample
from stories.tests.factories import story


@dataclass(frozen=True)
class App:
    """What these tests need to know of one app's API."""

    name: str  # /api/v1/<name>/, and its key in the API's root
    component: str  # the item's name in the schema's components
    sample: Callable[[], dict]  # the app's items, as its tests make them
    first: str  # the sample's key of the item listed first
    listed: int  # how many of the sample's items the list shows
    published: Callable[[str], object]  # one published item, in the list, by its title
    numbered: Callable[[int], object]  # the n-th of a run of items, in the list's order
    newcomer: Callable[[], object]  # a new item that comes first in the list
    archived: str  # the status of an item taken off the site
    changed: Callable[[], None]  # tells the caches that the app's items changed
    refused: tuple[tuple[dict, str], ...]  # the app's own bad parameters, and the field refused
    odd: tuple[dict, ...]  # control characters in the app's own parameters

    @property
    def api(self) -> str:
        return f"/api/v1/{self.name}/"


EVENTS = App(
    name="events",
    component="Event",
    sample=event_sample,
    first="barcelona",
    listed=3,
    published=event,
    numbered=lambda n: event(f"Event {n}", days=n + 1),
    newcomer=lambda: event("Newcomer", days=1),
    archived=Status.ARCHIVED,
    changed=events_changed,
    refused=(
        ({"when": "soon"}, "when"),
        ({"month": "March"}, "month"),
        ({"month": "2027-13"}, "month"),
        ({"month": "1800-01"}, "month"),
        ({"country": "atlantis"}, "country"),
        ({"attendance": "telepathy"}, "attendance"),
        ({"free": "maybe"}, "free"),
        ({"city": "x" * 101}, "city"),
    ),
    odd=({"search": "open\x00data", "city": "\x07", "month": "\x00"},),
)
FUNDING = App(
    name="funding",
    component="Opportunity",
    sample=funding_sample,
    first="soon",
    listed=3,
    published=opportunity,
    numbered=lambda n: opportunity(f"Fund {n}", closes=n + 1),
    newcomer=lambda: opportunity("Newcomer", closes=1),
    archived=Status.ARCHIVED,
    changed=opportunities_changed,
    refused=(
        ({"status": "soon"}, "status"),
        ({"type": "lottery"}, "type"),
        ({"target": "aliens"}, "target"),
        ({"target": [f"t{n}" for n in range(11)]}, "target"),
        ({"country": "atlantis"}, "country"),
        ({"closes": "March"}, "closes"),
        ({"closes": "2027-13"}, "closes"),
        ({"closes": "1800-01"}, "closes"),
        ({"amount": "lots"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": "20,000"}, "amount"),
    ),
    odd=({"search": "open\x00data", "closes": "\x00", "amount": "\x07"},),
)
STORIES = App(
    name="stories",
    component="Story",
    sample=story_sample,
    first="news",
    listed=5,
    published=story,
    numbered=lambda n: story(f"Story {n}", publish_at=ago(hours=n + 1)),
    newcomer=lambda: story("Newcomer", publish_at=ago(minutes=1)),
    archived=EditorialStatus.ARCHIVED,
    changed=stories_changed,
    refused=(
        ({"kind": "poem"}, "kind"),
        ({"category": "no-such-category"}, "category"),
    ),
    odd=(
        {"search": "open\x00data"},
        {"kind": "\x00"},
        {"category": "\x07", "area": "\x00"},
    ),
)
APPS = [EVENTS, FUNDING, STORIES]

# Bad values of the parameters every list takes, and the field each one is refused on.
REFUSED = (
    ({"area": "no-such-area"}, "area"),
    ({"search": "x" * 201}, "search"),
    ({"ordering": "colour"}, "ordering"),
    ({"page": "two"}, "page"),
    ({"page": "0"}, "page"),
    ({"page_size": "1000"}, "page_size"),
    ({"page_size": "\u00b2"}, "page_size"),
)


@pytest.fixture(params=APPS, ids=[app.name for app in APPS])
def app(request):
    return request.param


@pytest.fixture
def shown(app, db):
    return app.sample()


# --- Lists and items --------------------------------------------------------------------------


def test_the_root_lists_the_endpoint(app, client, db):
    assert client.get("/api/v1/").json()[app.name].endswith(app.api)


@pytest.mark.parametrize("app", [EVENTS, FUNDING], ids=["events", "funding"])
def test_descriptions_are_cleaned_even_if_stored_otherwise(app, client, db):
    stored = app.published("Old row")
    type(stored).objects.filter(pk=stored.pk).update(
        description='<p onclick="x()">Hi<script>alert(1)</script></p>'
    )
    for url in (app.api, f"{app.api}{stored.slug}/"):
        body = client.get(url).json()
        item = body["results"][0] if "results" in body else body
        assert item["description"] == "<p>Hi</p>"


def test_pagination_is_bounded_and_links_onwards(app, client, db):
    made = [app.numbered(n) for n in range(5)]
    body = client.get(app.api, {"page_size": 2}).json()
    assert body["count"] == 5 and len(body["results"]) == 2
    assert "page=2" in body["next"] and body["previous"] is None
    last = client.get(app.api, {"page_size": 2, "page": 3}).json()
    assert [item["title"] for item in last["results"]] == [made[4].title] and last["next"] is None


# --- Refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("app", "params", "field"),
    [
        pytest.param(app, params, field, id=f"{app.name}-{field}-{n}")
        for app in APPS
        for n, (params, field) in enumerate((*app.refused, *REFUSED))
    ],
)
def test_invalid_parameters_get_a_400_with_a_message_per_field(app, client, shown, params, field):
    response = client.get(app.api, params)
    assert response.status_code == 400
    body = response.json()
    assert field in body and body[field] and all(isinstance(m, str) for m in body[field])


def test_a_page_past_the_last_is_a_404_that_says_so(app, client, shown):
    response = client.get(app.api, {"page": 9})
    assert response.status_code == 404 and "1 page" in response.json()["detail"]


def test_control_characters_are_refused_or_ignored_never_a_500(app, client, shown):
    for params in app.odd:
        assert client.get(app.api, params).status_code in (200, 400)


def test_the_api_is_read_only(app, client, shown):
    slug = shown[app.first].slug
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{app.api}{slug}/", content_type="application/json")
        assert response.status_code == 405
    assert client.post(app.api, {}).status_code == 405


def test_cross_origin_reads_are_allowed_and_only_reads(app, client, shown):
    response = client.get(app.api, HTTP_ORIGIN="https://research.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        app.api, HTTP_ORIGIN="https://research.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


# --- Caches -----------------------------------------------------------------------------------


def test_cached_lists_follow_changes(app, client, shown, django_capture_on_commit_callbacks):
    assert client.get(app.api).json()["count"] == app.listed
    with django_capture_on_commit_callbacks(execute=True):
        app.newcomer()
        app.changed()
    body = client.get(app.api).json()
    assert body["count"] == app.listed + 1 and body["results"][0]["title"] == "Newcomer"
    gone = shown[app.first]
    with django_capture_on_commit_callbacks(execute=True):
        type(gone).objects.filter(pk=gone.pk).update(status=app.archived)
        app.changed()
    body = client.get(app.api).json()
    assert body["count"] == app.listed and body["results"][0]["title"] == "Newcomer"
    assert gone.title not in [item["title"] for item in body["results"]]


# --- Schema -----------------------------------------------------------------------------------


def test_the_schema_describes_the_operations(app, client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"][app.api]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert {"search", "area", "ordering", "page", "page_size"} <= set(parameters)
    assert "q" not in parameters
    assert all(parameter.get("description") for parameter in parameters.values())
    assert {"200", "400", "404", "429"} <= set(operation["responses"])
    item = schema["paths"][f"{app.api}{{slug}}/"]["get"]
    assert {"200", "404"} <= set(item["responses"])
    fields = schema["components"]["schemas"][app.component]["properties"]
    assert "status" not in fields and "created_by" not in fields


@pytest.fixture
def app_schema(app, shown, monkeypatch):
    with fuzz_api_schema(monkeypatch) as schema:
        yield schema.include(path_regex=f"^{app.api}")


@pytest.mark.fuzz
def test_the_operations_answer_as_their_schema_says(app_schema, fuzz_examples):
    """Like directory/tests/test_api_fuzz.py, but with items to show (that run has none)."""
    run = fuzz(app_schema, examples=fuzz_examples)
    assert run.operations == 2 and run.requests >= run.operations
    assert not run.failures, failures_text(run.failures)
