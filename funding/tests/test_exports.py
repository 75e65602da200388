"""Bulk downloads of published funding opportunities: /data/funding.csv and .json, and their
datapackage entry.

What every app's downloads share (refusals, streaming, headers, the data page...) is tested once
for each in core/tests/test_exports.py, with download_sample() from factories.py."""

import re

import pytest
from django.conf import settings
from django.utils import timezone

from core.exports import EXPORTS
from core.exports import LIST_SEPARATOR
from core.tests.downloads import body
from core.tests.downloads import csv_rows
from core.tests.downloads import json_rows
from directory.models import Country
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from funding.exports import FUNDING
from funding.models import FundingTarget
from funding.tests.factories import days
from funding.tests.factories import download_sample
from funding.tests.factories import opportunity

FUNDING_CSV = "/data/funding.csv"
FUNDING_JSON = "/data/funding.json"
DATAPACKAGE = "/data/datapackage.json"
LIST = "/en/funding/"
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture
def mix(db):
    return download_sample()


# --- What the files hold ---------------------------------------------------------------------


def test_funding_csv_holds_open_published_opportunities_with_their_fields(client, mix):
    rows = csv_rows(client.get(FUNDING_CSV))
    assert [row["title"] for row in rows] == [
        "Closes soon fund",
        "Closes later fund",
        "Rolling fund",
    ]
    soon = mix["soon"]
    row = rows[0]
    assert list(row) == FUNDING.header
    assert row["opportunity_id"] == str(soon.pk) and row["slug"] == soon.slug
    assert row["url"] == f"{settings.SITE_URL}/en/funding/{soon.slug}/"
    assert row["short_description"] == soon.short_description
    assert row["description"] == soon.description  # quotes and line breaks survive
    fablab = soon.funder
    assert row["funder"] == "Fab Lab Barcelona"
    assert row["funder_website"] == "https://example.org"
    assert row["funder_organisation_id"] == str(fablab.pk)
    assert row["funder_url"] == f"{settings.SITE_URL}/en/organisations/fab-lab-barcelona/"
    assert row["type"] == "Grant funding"
    # in the vocabularies' order
    assert row["targets"] == LIST_SEPARATOR.join(["Startup", "Individuals"])
    assert row["countries"] == LIST_SEPARATOR.join(["France", "Spain"])
    assert row["country_codes"] == "FR; ES"
    assert row["open_everywhere"] == "false"
    assert row["social_areas"] == LIST_SEPARATOR.join(["Health and care", "Digital democracy"])
    assert (row["amount_min"], row["amount_max"], row["currency"]) == ("5000", "50000", "EUR")
    assert row["opens_on"] == days(-10).isoformat()
    assert row["closes_on"] == days(3).isoformat()
    assert (row["rolling"], row["state"]) == ("false", "closing_soon")
    assert row["link"] == "https://fablab.example/apply"
    assert MOMENT.match(row["published"]) and MOMENT.match(row["updated"])
    assert row["licence"] == "CC BY 4.0"
    assert row["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    for private in ("status", "created_by", "rejection", "submitted", "search", "facet", "email"):
        assert not [name for name in row if private in name]

    later = rows[1]
    assert later["funder"] == "'=Formula Trust"  # no formula
    assert later["funder_website"] == later["funder_organisation_id"] == later["funder_url"] == ""
    assert later["type"] == "Investment / social investment"
    assert later["countries"] == later["targets"] == later["social_areas"] == ""
    assert later["open_everywhere"] == "true" and later["state"] == "open"
    assert (later["amount_min"], later["amount_max"], later["currency"]) == ("", "250000.5", "GBP")
    # a funder that is not published is named, not linked
    rolling = rows[2]
    assert rolling["funder"] == "Draft funder"
    assert rolling["funder_organisation_id"] == rolling["funder_url"] == ""
    assert (rolling["opens_on"], rolling["closes_on"]) == ("", "")
    assert (rolling["rolling"], rolling["state"]) == ("true", "open")


def test_json_has_the_same_fields_with_real_lists_numbers_and_nulls(client, mix):
    rows = {row["title"]: row for row in json_rows(client.get(FUNDING_JSON))}
    soon, later, rolling = rows["Closes soon fund"], rows["Closes later fund"], rows["Rolling fund"]
    assert list(soon) == FUNDING.header
    assert soon["opportunity_id"] == mix["soon"].pk
    assert soon["targets"] == ["Startup", "Individuals"]
    assert soon["countries"] == ["France", "Spain"] and soon["country_codes"] == ["FR", "ES"]
    assert soon["amount_min"] == 5000 and soon["amount_max"] == 50000
    assert soon["open_everywhere"] is False and soon["rolling"] is False
    assert soon["funder_organisation_id"] == mix["soon"].funder_id
    assert later["amount_min"] is None and later["amount_max"] == 250000.5
    assert later["funder"] == "=Formula Trust"  # JSON is data: kept as it is
    assert later["countries"] == [] and later["open_everywhere"] is True
    assert rolling["funder_organisation_id"] is None
    assert rolling["opens_on"] is None and rolling["closes_on"] is None
    assert rolling["rolling"] is True


def test_each_state_on_the_day(client, mix):
    states = {
        row["title"]: row["state"]
        for status in ("open", "upcoming", "closed")
        for row in json_rows(client.get(FUNDING_JSON, {"status": status}))
    }
    assert states == {
        "Closes soon fund": "closing_soon",
        "Closes later fund": "open",
        "Rolling fund": "open",
        "Opens next month": "opening_later",
        "Closed last week": "closed",
    }


def test_the_state_and_the_rows_follow_the_calendar(client, db, monkeypatch):
    opportunity("Last day fund", closes=0)
    rows = json_rows(client.get(FUNDING_JSON))
    assert [(row["title"], row["state"]) for row in rows] == [("Last day fund", "closing_soon")]
    moved = days(1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: moved)
    assert json_rows(client.get(FUNDING_JSON)) == []
    rows = json_rows(client.get(FUNDING_JSON, {"status": "closed"}))
    assert [(row["title"], row["state"]) for row in rows] == [("Last day fund", "closed")]


def test_nothing_unpublished_appears_in_any_file(client, mix):
    for url in (FUNDING_CSV, FUNDING_JSON):
        for query in ({}, {"status": "upcoming"}, {"status": "closed"}):
            assert "Hidden" not in body(client.get(url, query))


# --- Filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "upcoming"}, ["Opens next month"]),
        ({"status": "closed"}, ["Closed last week"]),
        ({"country": "spain"}, ["Closes soon fund", "Closes later fund", "Rolling fund"]),
        ({"country": "italy"}, ["Closes later fund", "Rolling fund"]),
        ({"type": "investment-social-investment"}, ["Closes later fund"]),
        ({"target": "individuals"}, ["Closes soon fund"]),
        ({"area": "digital-democracy"}, ["Closes soon fund"]),
        ({"amount": "100000"}, ["Closes later fund"]),
        ({"closes": days(3).strftime("%Y-%m")}, ["Closes soon fund"]),  # the next: 37 days on
        ({"q": "formula"}, ["Closes later fund"]),
        ({"country": "italy", "type": "grant-funding"}, ["Rolling fund"]),
    ],
)
def test_filters_are_those_of_the_funding_list(client, mix, query, expected):
    for url in (FUNDING_CSV, FUNDING_JSON):
        rows = (csv_rows if url.endswith("csv") else json_rows)(client.get(url, query))
        assert [row["title"] for row in rows] == expected
    page = client.get(LIST, query)
    assert [opportunity.title for opportunity in page.context["opportunities"]] == expected


# --- Cost -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [FUNDING_CSV, FUNDING_JSON])
def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, db, django_assert_num_queries, monkeypatch, url
):
    monkeypatch.setattr("core.exports.CHUNK_SIZE", 5)  # several fetches for 30 rows
    spain = Country.objects.get(code="ES")
    areas = list(SocialArea.objects.all()[:2])
    targets = list(FundingTarget.objects.all()[:2])
    funder = OrganisationFactory(name="Funder")

    def add(count):
        for n in range(count):
            opportunity(f"Fund {n}", closes=n + 1, countries=[spain], areas=areas, targets=targets)
            opportunity(f"Funded {n}", closes=n + 1, funder=funder)

    add(2)
    body(client.get(url))  # the vocabularies' tables are cached from here on
    # the filters' types and targets; the countries' codes, the types and targets in English;
    # then the cursor's settings and the rows, in a transaction (a savepoint and its release
    # here, inside the test's transaction; none in production)
    with django_assert_num_queries(9):
        few = body(client.get(url)).count("\n")
    add(13)
    with django_assert_num_queries(9):
        many = body(client.get(url)).count("\n")
    assert many > few + 20


# --- The registry and datapackage.json ------------------------------------------------------


def test_funding_is_one_of_the_downloads(db):
    assert EXPORTS["funding"] is FUNDING
    assert list(EXPORTS)[-1] == "funding"


def test_the_datapackage_types_the_funding_fields(client, db):
    package = client.get(DATAPACKAGE).json()
    resources = {resource["name"]: resource for resource in package["resources"]}
    fields = {field["name"]: field for field in resources["funding-csv"]["schema"]["fields"]}
    assert fields["targets"]["type"] == "string"
    assert fields["closes_on"]["type"] == "date" and fields["rolling"]["type"] == "boolean"
    assert fields["amount_max"]["type"] == "number"
