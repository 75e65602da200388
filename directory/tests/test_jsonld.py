"""schema.org JSON-LD on organisation and project pages, read back from the real HTML."""

import datetime
import json
from html.parser import HTMLParser

import jsonschema
import pytest

from core.models import Status
from directory.models import Country
from directory.models import DSIFocus
from directory.models import Membership
from directory.models import OrganisationType
from directory.models import ProjectOrganisation
from directory.models import Role
from directory.models import SocialArea
from directory.models import Technology
from directory.services.profiles import tags_from_names
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

SITE = "https://hub.example.org"
ABSOLUTE = {"type": "string", "pattern": "^https://hub\\.example\\.org/"}
WEB_URL = {"type": "string", "pattern": "^https?://"}
DATE = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
REFERENCE = {
    "type": "object",
    "required": ["@type", "@id", "name", "url"],
    "properties": {
        "@type": {"enum": ["Organization", "Project"]},
        "@id": ABSOLUTE,
        "name": {"type": "string"},
        "url": ABSOLUTE,
    },
    "additionalProperties": False,
}
ADDRESS = {
    "type": "object",
    "required": ["@type"],
    "properties": {
        "@type": {"const": "PostalAddress"},
        "streetAddress": {"type": "string"},
        "addressLocality": {"type": "string"},
        "addressCountry": {"type": "string", "pattern": "^[A-Z]{2}$"},
    },
    "additionalProperties": False,
}
# What the pages may say, and nothing else: an unknown key fails, so a new field is a choice.
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["@context", "@type", "@id", "url", "name", "mainEntityOfPage"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {
            "enum": [
                "Organization",
                "NGO",
                "ResearchOrganization",
                "GovernmentOrganization",
                "Project",
            ]
        },
        "@id": {
            "type": "string",
            "pattern": "^https://hub\\.example\\.org/en/.+#(organisation|project)$",
        },
        "url": ABSOLUTE,
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "logo": ABSOLUTE,
        "image": ABSOLUTE,
        "sameAs": {"type": "array", "items": WEB_URL, "uniqueItems": True},
        "address": ADDRESS,
        "location": {
            "type": "object",
            "required": ["@type"],
            "properties": {
                "@type": {"const": "Place"},
                "address": ADDRESS,
                "geo": {
                    "type": "object",
                    "required": ["@type", "latitude", "longitude"],
                    "properties": {
                        "@type": {"const": "GeoCoordinates"},
                        "latitude": {"type": "number", "minimum": -90, "maximum": 90},
                        "longitude": {"type": "number", "minimum": -180, "maximum": 180},
                    },
                    "additionalProperties": False,
                },
            },
            "additionalProperties": False,
        },
        "foundingDate": DATE,
        "dissolutionDate": DATE,
        "keywords": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "areaServed": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["@type", "name", "identifier"],
                "properties": {
                    "@type": {"const": "Country"},
                    "name": {"type": "string"},
                    "identifier": {"type": "string", "pattern": "^[A-Z]{2}$"},
                },
                "additionalProperties": False,
            },
        },
        "parentOrganization": {"type": "array", "items": REFERENCE},
        "member": {"type": "array", "items": REFERENCE},
        "subOrganization": {"type": "array", "items": REFERENCE},
        "memberOf": {"type": "array", "items": REFERENCE},
        "mainEntityOfPage": {
            "type": "object",
            "required": ["@type", "@id", "url", "inLanguage", "dateModified"],
            "properties": {
                "@type": {"const": "WebPage"},
                "@id": ABSOLUTE,
                "url": ABSOLUTE,
                "inLanguage": {"type": "string"},
                "dateModified": {"type": "string"},
                "datePublished": {"type": "string"},
                "license": {"type": "string", "pattern": "^https://creativecommons\\.org/"},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}


class _Scripts(HTMLParser):
    """The text of every <script type="application/ld+json">, as a browser would cut it out."""

    def __init__(self):
        super().__init__()
        self.scripts, self.types, self._current = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "script" and "src" not in dict(attrs):  # inline ones, not the site's files
            self.types.append(dict(attrs).get("type"))
            self._current = [] if dict(attrs).get("type") == "application/ld+json" else None

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def scripts(response) -> _Scripts:
    parser = _Scripts()
    parser.feed(response.content.decode())
    return parser


def jsonld(response) -> dict:
    assert response.status_code == 200
    found = scripts(response).scripts
    assert len(found) == 1, found
    data = json.loads(found[0])
    jsonschema.validate(data, SCHEMA)
    return data


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def organisation(db):
    organisation = OrganisationFactory(
        name="Fab Lab Barcelona",
        slug="fab-lab-barcelona",
        short_description="A digital fabrication lab & school.",
        website="https://fablabbcn.org/",
        links=["https://mastodon.example/@fablab", "https://fablabbcn.org/"],
        address="Carrer de Pujades 102",
        city="Barcelona",
        country=Country.objects.get(code="ES"),
        latitude=41.3968,
        longitude=2.1942,
        start_date=datetime.date(2007, 1, 1),
        logo="directory/logos/fab.webp",
        organisation_type=OrganisationType.objects.get(
            slug="social-enterprise-charity-foundation-or-other-non-profit"
        ),
    )
    organisation.tags.set(tags_from_names(["makers"]))
    organisation.network_tags.set(tags_from_names(["Fab City"]))
    return organisation


@pytest.fixture
def project(organisation):
    project = ProjectFactory(
        name="Smart Citizen",
        slug="smart-citizen",
        short_description="Sensors for air quality.",
        website="https://smartcitizen.me/",
        city="Barcelona",
        start_date=datetime.date(2012, 3, 1),
        end_date=datetime.date(2020, 6, 30),
        vocabularies__social_areas=[SocialArea.objects.get(slug="health-and-care")],
        vocabularies__technologies=[Technology.objects.get(slug="open-data")],
        vocabularies__countries=[Country.objects.get(code="ES"), Country.objects.get(code="FR")],
    )
    project.focus.set([DSIFocus.objects.first()])
    project.tags.set(tags_from_names(["air quality"]))
    partner = OrganisationFactory(name="Waag", slug="waag")
    hidden = OrganisationFactory(name="Hidden draft org", slug="hidden", status=Status.DRAFT)
    for linked, role in ((organisation, "lead"), (partner, "partner"), (hidden, "partner")):
        ProjectOrganisation.objects.create(project=project, organisation=linked, role=role)
    return project


def test_an_organisation_page_describes_it_as_schema_org(client, organisation, project):
    data = jsonld(client.get(organisation.get_absolute_url()))
    url = f"{SITE}/en/organisations/fab-lab-barcelona/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NGO"  # the non-profit type
    assert data["@id"] == url + "#organisation"
    assert data["url"] == url
    assert data["name"] == "Fab Lab Barcelona"
    assert data["description"] == "A digital fabrication lab & school."
    assert data["logo"] == data["image"] == f"{SITE}/media/directory/logos/fab.webp"
    assert data["sameAs"] == ["https://fablabbcn.org/", "https://mastodon.example/@fablab"]
    address = {
        "@type": "PostalAddress",
        "streetAddress": "Carrer de Pujades 102",
        "addressLocality": "Barcelona",
        "addressCountry": "ES",
    }
    assert data["address"] == address
    assert data["location"] == {
        "@type": "Place",
        "address": address,
        "geo": {"@type": "GeoCoordinates", "latitude": 41.3968, "longitude": 2.1942},
    }
    assert data["foundingDate"] == "2007-01-01"
    assert data["keywords"] == ["makers", "Fab City"]
    assert data["subOrganization"] == [
        {
            "@type": "Project",
            "@id": f"{SITE}/en/projects/smart-citizen/#project",
            "name": "Smart Citizen",
            "url": f"{SITE}/en/projects/smart-citizen/",
        }
    ]
    assert data["mainEntityOfPage"]["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["mainEntityOfPage"]["inLanguage"] == "en"


def test_a_project_page_describes_it_with_its_organisations(client, project, organisation):
    data = jsonld(client.get(project.get_absolute_url()))
    assert data["@type"] == "Project"
    assert data["url"] == f"{SITE}/en/projects/smart-citizen/"
    assert data["foundingDate"] == "2012-03-01"
    assert data["dissolutionDate"] == "2020-06-30"
    assert [(c["identifier"], c["name"]) for c in data["areaServed"]] == [
        ("FR", "France"),
        ("ES", "Spain"),
    ]
    # Several countries: the city's country is not guessed.
    assert data["location"] == {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "addressLocality": "Barcelona"},
    }
    assert data["parentOrganization"] == [
        {
            "@type": "Organization",
            "@id": f"{SITE}/en/organisations/fab-lab-barcelona/#organisation",
            "name": "Fab Lab Barcelona",
            "url": f"{SITE}/en/organisations/fab-lab-barcelona/",
        }
    ]
    assert [member["name"] for member in data["member"]] == ["Waag"]  # not the draft
    assert {"Health and care", "Open data", "air quality"} <= set(data["keywords"])
    assert data["sameAs"] == ["https://smartcitizen.me/"]


def test_a_partner_organisation_is_a_member_of_the_project(client, project):
    waag = project.organisations.get(slug="waag")
    data = jsonld(client.get(waag.get_absolute_url()))
    assert [link["@id"] for link in data["memberOf"]] == [
        f"{SITE}/en/projects/smart-citizen/#project"
    ]
    assert "subOrganization" not in data


@pytest.mark.parametrize(
    ("type_slug", "schema_type"),
    [
        ("social-enterprise-charity-foundation-or-other-non-profit", "NGO"),
        ("grassroots-organisation-or-community-network", "NGO"),
        ("for-profit-business", "Organization"),
        ("academiaresearch-organisation", "ResearchOrganization"),
        ("governmentpublic-sector", "GovernmentOrganization"),
        (None, "Organization"),
    ],
)
def test_the_schema_org_type_follows_the_organisation_type(client, db, type_slug, schema_type):
    kind = OrganisationType.objects.get(slug=type_slug) if type_slug else None
    organisation = OrganisationFactory(organisation_type=kind)
    assert jsonld(client.get(organisation.get_absolute_url()))["@type"] == schema_type


def test_a_bare_profile_says_only_what_it_knows(client, db):
    organisation = OrganisationFactory(
        short_description="",
        description="<p>Plain <b>text</b> &amp; more</p>",
        city="",
        country=None,
        organisation_type=None,
        licence="CC-BY-NC-SA-4.0",
    )
    data = jsonld(client.get(organisation.get_absolute_url()))
    assert data["description"] == "Plain text & more"
    for absent in ("address", "location", "logo", "image", "sameAs", "keywords", "foundingDate"):
        assert absent not in data
    assert data["mainEntityOfPage"]["license"] == (
        "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    )


def test_nothing_private_leaks_into_the_json_ld(client, project, organisation, user):
    organisation.rejection_reason = "SECRET-REASON"
    organisation.spam_signals = ["SECRET-SIGNAL"]
    organisation.created_by = user
    organisation.save()
    Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)
    response = client.get(organisation.get_absolute_url())
    text = scripts(response).scripts[0]
    for secret in ("SECRET-REASON", "SECRET-SIGNAL", user.email, user.name, "Hidden draft org"):
        assert secret not in text
    # and the project's page leaves its unpublished partner out
    assert "Hidden draft org" not in scripts(client.get(project.get_absolute_url())).scripts[0]


def test_a_name_cannot_break_out_of_the_script(client, db):
    evil = '</script><script>alert(1)</script><!-- "quoted" & more'
    organisation = OrganisationFactory(name=evil, slug="evil", short_description=evil)
    response = client.get(organisation.get_absolute_url())
    found = scripts(response)
    assert found.types.count(None) == 0  # no script of another type sneaked in
    data = jsonld(response)
    assert data["name"] == data["description"] == evil
    assert "<script>alert(1)" not in response.content.decode()


def test_the_json_ld_is_cached_with_the_page_and_follows_the_language(
    client, project, organisation, django_assert_num_queries
):
    # as many queries as the page ran before it had JSON-LD (test_browse pins them): the
    # links to organisations are the rows the page shows, not a query per organisation
    with django_assert_num_queries(11):
        first = jsonld(client.get(project.get_absolute_url()))
    with django_assert_num_queries(7):  # with its partners (directory.neighbourhood)
        jsonld(client.get(organisation.get_absolute_url()))
    with django_assert_num_queries(0):
        again = client.get(project.get_absolute_url())
    assert jsonld(again) == first
    german = jsonld(client.get("/de/projects/smart-citizen/"))
    assert german["@id"] == first["@id"]  # one identity whatever the language
    assert german["url"] == f"{SITE}/de/projects/smart-citizen/"
    assert german["mainEntityOfPage"]["inLanguage"] == "de"
    assert "Spanien" in [country["name"] for country in german["areaServed"]]


def test_unpublished_previews_carry_no_json_ld(client, user):
    organisation = OrganisationFactory(status=Status.DRAFT, owner=user)
    client.force_login(user)
    response = client.get(f"/en/organisations/{organisation.slug}/preview/")
    assert response.status_code == 200
    assert scripts(response).scripts == []
