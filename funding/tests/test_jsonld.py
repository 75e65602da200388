"""schema.org JSON-LD for funding opportunity pages: its shape, its values and its safety."""

import datetime as dt
import json

import jsonschema
import pytest
from django.utils.safestring import SafeString

from core.models import Status
from directory.tests.factories import OrganisationFactory
from funding.jsonld import opportunity_jsonld
from funding.jsonld import opportunity_jsonld_script
from funding.models import FundingType
from funding.tests.factories import OpportunityFactory

SITE = "https://hub.example.org"
ABSOLUTE = {"type": "string", "pattern": "^https://hub\\.example\\.org/"}
DATE = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
SCHEMA = {
    "type": "object",
    "required": ["@context", "@type", "@id", "url", "name"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"enum": ["MonetaryGrant", "Grant"]},
        "@id": ABSOLUTE,
        "url": ABSOLUTE,
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "funder": {
            "type": "object",
            "required": ["@type", "name"],
            "properties": {
                "@type": {"const": "Organization"},
                "name": {"type": "string"},
                "url": {"type": "string", "pattern": "^https?://"},
            },
            "additionalProperties": False,
        },
        "amount": {
            "type": "object",
            "required": ["@type", "currency"],
            "properties": {
                "@type": {"const": "MonetaryAmount"},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "minValue": {"type": "number", "minimum": 0},
                "maxValue": {"type": "number", "minimum": 0},
                "validFrom": DATE,
                "validThrough": DATE,
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def test_a_grant_is_a_monetary_grant_with_its_amount_and_dates(db):
    funder = OrganisationFactory(name="Civic Tech Trust")
    grant = OpportunityFactory(
        title="Open data fund",
        opens_on=dt.date(2027, 1, 15),
        closes_on=dt.date(2027, 3, 3),
        amount_min=5000,
        amount_max="12500.50",
        currency="EUR",
        funder=funder,
        funder_name="",
        short_description="Money for open data.",
    )
    grant.refresh_from_db()
    data = opportunity_jsonld(grant)
    jsonschema.validate(data, SCHEMA)
    url = f"{SITE}/en/funding/{grant.slug}/"
    assert data == {
        "@context": "https://schema.org",
        "@type": "MonetaryGrant",
        "@id": f"{url}#grant",
        "url": url,
        "name": "Open data fund",
        "description": "Money for open data.",
        "funder": {
            "@type": "Organization",
            "name": "Civic Tech Trust",
            "url": f"{SITE}{funder.get_absolute_url()}",
        },
        "amount": {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "minValue": 5000,
            "maxValue": 12500.5,
            "validFrom": "2027-01-15",
            "validThrough": "2027-03-03",
        },
    }


def test_other_support_is_a_grant_and_unknowns_are_left_out(db):
    support = OpportunityFactory(
        funding_type=FundingType.objects.get(slug="non-financial-support"),
        amount_min=None,
        amount_max=None,
        short_description="",
        description="<p>Mentoring &amp; <b>office space</b>.</p>",
        funder_name="",
        funder_website="",
    )
    data = opportunity_jsonld(support)
    jsonschema.validate(data, SCHEMA)
    assert data["@type"] == "Grant"
    assert data["description"] == "Mentoring & office space."
    assert "amount" not in data and "funder" not in data


def test_a_funder_outside_the_directory_links_its_website(db):
    hidden = OrganisationFactory(name="Quiet Trust", status=Status.PENDING)
    named = OpportunityFactory(funder_name="Neighbourhood Fund", funder_website="https://nf.org")
    unpublished = OpportunityFactory(funder=hidden, funder_name="", funder_website="")
    assert opportunity_jsonld(named)["funder"] == {
        "@type": "Organization",
        "name": "Neighbourhood Fund",
        "url": "https://nf.org",
    }
    # a funder whose profile is not published is not named either
    assert "funder" not in opportunity_jsonld(unpublished)


def test_the_script_cannot_be_broken_out_of(db):
    sneaky = OpportunityFactory(title="</script><script>alert(1)</script> & <!--")
    script = opportunity_jsonld_script(sneaky)
    assert isinstance(script, SafeString)
    assert script.startswith('<script type="application/ld+json">')
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner)["name"] == "</script><script>alert(1)</script> & <!--"


def test_the_page_carries_it(client, db):
    shown = OpportunityFactory(title="Page fund")
    html = client.get(shown.get_absolute_url()).content.decode()
    inner = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(inner)
    jsonschema.validate(data, SCHEMA)
    assert data["name"] == "Page fund" and data["@type"] == "MonetaryGrant"
