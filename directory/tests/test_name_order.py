"""The name order ignores case and accents, in the lists, the API and the downloads."""

import pytest

from core.tests.downloads import csv_rows
from core.tests.downloads import json_rows
from directory.models import Organisation
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

NAMES = ["AIOTI", "Aalto", "mySociety", "Zooniverse", "Élan"]
IN_ORDER = ["Aalto", "AIOTI", "Élan", "mySociety", "Zooniverse"]


@pytest.fixture
def organisations():
    for name in NAMES:
        OrganisationFactory(name=name)


@pytest.fixture
def projects():
    for name in NAMES:
        ProjectFactory(name=name)


def test_the_lists_sort_by_name_ignoring_case_and_accents(client, organisations, projects):
    for path in ("/en/organisations/", "/en/projects/"):
        for query in ({}, {"sort": "name"}):
            response = client.get(path, query)
            assert [profile.name for profile in response.context["profiles"]] == IN_ORDER


def test_relevance_falls_back_to_name_order(organisations):
    """Relevance orders equally relevant profiles, and all of them without a searchable word,
    by name."""
    ordered = Organisation.objects.published().by_relevance("")
    assert [profile.name for profile in ordered] == IN_ORDER


def test_the_api_orders_by_name_ignoring_case_and_accents(client, organisations, projects):
    for kind in ("organisations", "projects"):
        for query, expected in (({}, IN_ORDER), ({"ordering": "-name"}, IN_ORDER[::-1])):
            query = {"ordering": "name", **query}
            response = client.get(f"/api/v1/{kind}/", query, HTTP_ACCEPT="application/json")
            assert [item["name"] for item in response.json()["results"]] == expected


def test_the_downloads_come_in_name_order(client, organisations, projects):
    rows = csv_rows(client.get("/data/organisations.csv"))
    assert [row["organisation_name"] for row in rows] == IN_ORDER
    rows = csv_rows(client.get("/data/projects.csv"))
    assert [row["project_name"] for row in rows] == IN_ORDER
    rows = json_rows(client.get("/data/organisations.json"))
    assert [row["organisation_name"] for row in rows] == IN_ORDER
