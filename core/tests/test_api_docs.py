"""The API's docs page (core.api.schema.DocsView, templates/api/docs.html) and what its schema
says the API serves."""

import pytest
from django.utils import translation

from core.api.routes import api_routes

DOCS = "/api/v1/docs/"
# Routes ordered from 100 on serve the vocabularies; those before, the kinds of content.
FIRST_VOCABULARY = 100


def test_the_docs_page_has_the_language_of_the_request(client, db):
    assert '<html lang="en">' in client.get(DOCS).content.decode()
    german = client.get(DOCS, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="de">' in german


def test_the_docs_page_meets_contrast_with_a_stylesheet_of_ours(client, db):
    html = client.get(DOCS).content.decode()
    ours = html.index('<link rel="stylesheet" href="/static/css/api-docs.css">')
    assert html.index("swagger-ui.css") < ours  # after Swagger UI's, so that it wins


def test_the_docs_page_links_the_plain_schema_for_readers_without_javascript(client, db):
    html = client.get(DOCS).content.decode()
    assert '<a href="/api/v1/schema/?format=json">JSON</a>' in html
    assert '<a href="/api/v1/schema/?format=yaml">YAML</a>' in html
    assert "<noscript>" in html
    json_schema = client.get("/api/v1/schema/?format=json")
    assert json_schema.status_code == 200 and json_schema.json()["openapi"].startswith("3.")
    yaml_schema = client.get("/api/v1/schema/?format=yaml")
    assert yaml_schema.status_code == 200 and b"openapi: 3." in yaml_schema.content


def test_the_docs_start_swagger_ui_from_a_script_of_their_own(client, db):
    # No inline script (the Content-Security-Policy allows none): the page loads its starter.
    html = client.get(DOCS).content.decode()
    assert '<script src="/api/v1/docs/?script="></script>' in html
    assert "<script>" not in html
    starter = client.get(DOCS, {"script": ""})
    assert starter["Content-Type"].startswith("application/javascript")
    # A deep link puts a link inside each operation's toggle button (axe: nested-interactive).
    assert '"deepLinking": false' in starter.content.decode()


@pytest.mark.parametrize(
    "route",
    [route for route in api_routes() if route.order < FIRST_VOCABULARY],
    ids=lambda route: route.prefix,
)
def test_the_schema_description_names_every_kind_of_content(client, db, route):
    schema = client.get("/api/v1/schema/?format=json").json()
    with translation.override("en"):
        kind = str(route.viewset.serializer_class.Meta.model._meta.verbose_name_plural)
    assert kind in schema["info"]["description"]
