"""The API keeps to its own schema where the schema can say something wrong: web addresses
people typed are valid `format: uri` (stored so, and shown so when stored before), errors
under /api/ are JSON (unknown routes, slugs a route does not take, too long an address: 414,
documented), and every list parameter's schema allows what its filter accepts, no more."""

import jsonschema_rs
import pytest

from core.api.filter_schema import MAX_LISTED_VALUES
from core.fields import web_address
from core.forms import LinksField
from directory.models import Project
from directory.models import Tag
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from events.models import Event
from events.tests.factories import event
from funding.models import Opportunity
from funding.tests.factories import opportunity

URI = jsonschema_rs.validator_for({"type": "string", "format": "uri"}, validate_formats=True)
HOSTILE = 'https://example.org/a b/"quoted"/<b>?q=<script>&x="1"#"top" ü'


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ('https://example.org/say "hi"', "https://example.org/say%20%22hi%22"),
        ("https://example.org/<b>", "https://example.org/%3Cb%3E"),
        ("https://example.org/?q=<a>|{b}", "https://example.org/?q=%3Ca%3E%7C%7Bb%7D"),
        ("https://example.org/straße", "https://example.org/stra%C3%9Fe"),
        ("https://münchen.de/", "https://xn--mnchen-3ya.de/"),
        ("https://example.org/100%", "https://example.org/100%25"),
        ("https://example.org/a%20b?c=d#e", "https://example.org/a%20b?c=d#e"),
        ("https://example.org/#a#b", "https://example.org/#a%23b"),
    ],
)
def test_a_web_address_is_made_an_rfc_3986_uri(typed, stored):
    assert web_address(typed) == stored
    assert URI.is_valid(stored)


def test_links_in_forms_are_cleaned_to_uris():
    field = LinksField(max_items=5, max_length=500)
    assert field.clean('example.org/"a"\nhttps://example.org/<b>') == [
        "https://example.org/%22a%22",
        "https://example.org/%3Cb%3E",
    ]


def test_saved_web_addresses_are_uris(db):
    project = ProjectFactory(website=HOSTILE, links=[HOSTILE])
    project.refresh_from_db()
    assert URI.is_valid(project.website) and URI.is_valid(project.links[0])
    item = event("Meet-up", link=HOSTILE)
    item.refresh_from_db()
    assert URI.is_valid(item.link)


def api_item(client, kind: str, slug: str) -> dict:
    response = client.get(f"/api/v1/{kind}/{slug}/")
    assert response.status_code == 200
    return response.json()


def test_addresses_stored_before_are_shown_as_uris(client, db):
    """Rows saved before addresses were cleaned (or by a raw update) still answer valid URIs."""
    project = ProjectFactory(name="Old project")
    Project.objects.filter(pk=project.pk).update(website=HOSTILE, links=[HOSTILE])
    happening = event("Old event")
    Event.objects.filter(pk=happening.pk).update(link=HOSTILE)
    fund = opportunity("Old fund", funder_name="Old funder")
    Opportunity.objects.filter(pk=fund.pk).update(link=HOSTILE, funder_website=HOSTILE)

    shown = api_item(client, "projects", project.slug)
    assert URI.is_valid(shown["website"]) and URI.is_valid(shown["links"][0])
    assert URI.is_valid(api_item(client, "events", happening.slug)["link"])
    fund_shown = api_item(client, "funding", fund.slug)
    assert URI.is_valid(fund_shown["link"]) and URI.is_valid(fund_shown["funder"]["website"])


# --- Errors under /api/ -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects/%C3%A9t%C3%A9/",  # a slug the route does not take
        "/api/v1/projects/a/b/",
        "/api/v1/no-such-list/",
        "/api/v2/",
    ],
)
def test_not_found_under_the_api_is_json(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_not_found_elsewhere_is_still_a_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_too_long_an_address_is_a_documented_json_414(client, db, settings):
    response = client.get("/api/v1/projects/", {"search": "x" * settings.REQUEST_URI_MAX_LENGTH})
    assert response.status_code == 414
    assert response["Content-Type"] == "application/json" and response.json()["detail"]
    assert client.get("/search/", {"q": "x" * 5000}).status_code == 414
    schema = client.get("/api/v1/schema/?format=json").json()
    for path in ("/api/v1/projects/", "/api/v1/projects/{slug}/"):
        assert "414" in schema["paths"][path]["get"]["responses"]


# --- List parameters: the schema says what the filters accept ---------------------------------


@pytest.fixture
def parameters(client, db):
    OrganisationFactory(name="Tagged")
    Tag.objects.create(name="Open source", slug="open-source")
    schema = client.get("/api/v1/schema/?format=json").json()
    return {
        (path, parameter["name"]): parameter["schema"]
        for path, operations in schema["paths"].items()
        for parameter in operations["get"].get("parameters", [])
        if parameter["in"] == "query"
    }


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/events/", "area"),
        ("/api/v1/events/", "country"),
        ("/api/v1/funding/", "type"),
        ("/api/v1/stories/", "category"),
        ("/api/v1/projects/", "live"),
    ],
)
def test_choice_parameters_list_their_values(client, parameters, path, name):
    schema = parameters[(path, name)]
    assert schema["type"] == "string" and schema["enum"]
    for value in schema["enum"][:3]:
        assert client.get(path, {name: value}).status_code == 200
    assert client.get(path, {name: "not-one-of-them"}).status_code == 400


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/projects/", "tag"),
        ("/api/v1/projects/", "area"),
        ("/api/v1/organisations/", "size"),
        ("/api/v1/funding/", "target"),
    ],
)
def test_repeated_parameters_list_their_values_and_how_many(client, parameters, path, name):
    schema = parameters[(path, name)]
    assert schema["type"] == "array" and schema["maxItems"] == 10 and schema["items"]["enum"]
    assert client.get(path, {name: schema["items"]["enum"][:2]}).status_code == 200
    assert client.get(path, {name: ["x"] * 11}).status_code == 400


def test_thousands_of_tags_are_not_listed_in_the_schema(client, db):
    Tag.objects.bulk_create(
        Tag(name=f"Tag {number}", slug=f"tag-{number}") for number in range(MAX_LISTED_VALUES + 1)
    )
    schema = client.get("/api/v1/schema/?format=json").json()
    tag = next(
        parameter["schema"]
        for parameter in schema["paths"]["/api/v1/projects/"]["get"]["parameters"]
        if parameter["name"] == "tag"
    )
    assert tag["items"] == {"type": "string"} and tag["maxItems"] == 10
    assert client.get("/api/v1/projects/", {"tag": "tag-7"}).status_code == 200


def test_text_parameters_say_how_long_they_may_be(client, parameters):
    assert parameters[("/api/v1/projects/", "search")]["maxLength"] == 200
    assert parameters[("/api/v1/events/", "city")]["maxLength"] == 100


def test_month_parameters_allow_only_the_months_shown(parameters):
    month = jsonschema_rs.validator_for(parameters[("/api/v1/events/", "month")])
    assert month.is_valid("2027-03") and month.is_valid("1970-01") and month.is_valid("2100-12")
    assert not any(month.is_valid(value) for value in ("2027-13", "2027-00", "1800-01", "2101-01"))


def test_amounts_say_how_many_decimals_they_take(client, parameters):
    amount = jsonschema_rs.validator_for(parameters[("/api/v1/funding/", "amount")])
    assert (
        amount.is_valid(20000.5)
        and client.get("/api/v1/funding/?amount=20000.5").status_code == 200
    )
    assert (
        not amount.is_valid(1.001)
        and client.get("/api/v1/funding/?amount=1.001").status_code == 400
    )
