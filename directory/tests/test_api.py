"""The open-data API: /api/v1/ endpoints, filters, pagination, errors, schema, CORS, throttling."""

import pytest
from django.core.cache import cache

from core.models import Licence
from core.models import Status
from directory.models import Country
from directory.models import OrganisationSize
from directory.models import ProjectOrganisation
from directory.models import SocialArea
from directory.models import Technology
from directory.search import profile_reindex
from directory.services.profiles import tags_from_names
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from directory.versions import directory_changed

API = "/api/v1/"


@pytest.fixture
def directory(db):
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    health = SocialArea.objects.get(slug="health-and-care")
    democracy = SocialArea.objects.get(slug="digital-democracy")
    open_data = Technology.objects.get(slug="open-data")
    liberte = OrganisationFactory(
        name="Liberté Numérique",
        city="Zürich",
        country=france,
        address="1 rue de la Paix",
        organisation_size=OrganisationSize.objects.first(),
        links=["https://social.example/@liberte"],
        licence=Licence.CC_BY_NC_SA_4,
        legacy_id=42,
    )
    liberte.tags.set(tags_from_names(["civic tech"]))
    profile_reindex(liberte)
    fablab = OrganisationFactory(name="Fab Lab Barcelona", city="Barcelona", country=spain)
    OrganisationFactory(name="Hidden draft", status=Status.DRAFT)
    OrganisationFactory(name="Rejected spam", status=Status.REJECTED)
    decidim = ProjectFactory(
        name="Decidim",
        short_description="Participatory democracy platform",
        vocabularies__social_areas=[democracy],
        vocabularies__technologies=[open_data],
        vocabularies__countries=[spain, france],
    )
    smart = ProjectFactory(name="Smart Citizen", vocabularies__social_areas=[health], live=False)
    hidden = ProjectFactory(name="Archived project", status=Status.ARCHIVED)
    ProjectOrganisation.objects.create(
        project=decidim, organisation=liberte, role=ProjectOrganisation.Role.LEAD
    )
    ProjectOrganisation.objects.create(project=hidden, organisation=liberte)
    ProjectOrganisation.objects.create(
        project=smart, organisation=OrganisationFactory(name="Draft org", status=Status.DRAFT)
    )
    return {"liberte": liberte, "fablab": fablab, "decidim": decidim, "smart": smart}


def names(response):
    return [item["name"] for item in response.json()["results"]]


# --- Lists and items --------------------------------------------------------------------------


def test_the_root_lists_every_endpoint(client, db):
    body = client.get(API).json()
    for name in [
        "organisations",
        "projects",
        "events",
        "funding",
        "stories",
        "countries",
        "social-areas",
        "technologies",
        "dsi-focus",
        "organisation-types",
        "organisation-sizes",
    ]:
        assert body[name].endswith(f"/api/v1/{name}/")


def test_organisations_are_published_only_with_the_public_fields(client, directory, settings):
    response = client.get(f"{API}organisations/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    assert names(response) == ["Fab Lab Barcelona", "Liberté Numérique"]
    item = body["results"][1]
    assert item["url"] == f"{settings.SITE_URL}/en/organisations/liberte-numerique/"
    assert item["api_url"] == f"{settings.SITE_URL}/api/v1/organisations/liberte-numerique/"
    assert item["licence"] == {
        "code": "CC-BY-NC-SA-4.0",
        "name": "CC BY-NC-SA 4.0",
        "url": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    }
    assert item["country"] == {"slug": "france", "name": "France", "code": "FR"}
    assert item["address"] == "1 rue de la Paix" and item["legacy_id"] == 42
    assert item["tags"] == [{"slug": "civic-tech", "name": "civic tech"}]
    assert item["links"] == ["https://social.example/@liberte"]
    # only its published project, with both its addresses
    assert [(p["name"], p["role"]) for p in item["projects"]] == [("Decidim", "lead")]
    assert item["projects"][0]["api_url"].endswith("/api/v1/projects/decidim/")
    for private in ("status", "spam_score", "spam_signals", "created_by", "rejection_reason"):
        assert private not in item
    assert "email" not in response.content.decode()


def test_projects_carry_vocabularies_and_only_published_organisations(client, directory):
    body = client.get(f"{API}projects/").json()
    assert [item["name"] for item in body["results"]] == ["Decidim", "Smart Citizen"]
    decidim, smart = body["results"]
    assert sorted(country["code"] for country in decidim["countries"]) == ["ES", "FR"]
    assert decidim["social_areas"] == [{"slug": "digital-democracy", "name": "Digital democracy"}]
    assert decidim["technologies"][0]["slug"] == "open-data"
    assert [o["name"] for o in decidim["organisations"]] == ["Liberté Numérique"]
    assert smart["organisations"] == [] and smart["live"] is False


def test_one_item_by_slug_and_unpublished_ones_are_not_found(client, directory):
    response = client.get(f"{API}projects/decidim/")
    assert response.status_code == 200 and response.json()["name"] == "Decidim"
    assert client.get(f"{API}projects/archived-project/").status_code == 404
    assert client.get(f"{API}organisations/hidden-draft/").status_code == 404
    missing = client.get(f"{API}organisations/no-such-thing/")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_vocabularies_in_the_asked_language(client, db):
    body = client.get(f"{API}social-areas/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert body["count"] == SocialArea.objects.count()
    health = SocialArea.objects.get(slug="health-and-care")
    assert health.name_fr and health.name_fr != health.name_en
    names_by_slug = {item["slug"]: item["name"] for item in body["results"]}
    assert names_by_slug["health-and-care"] == health.name_fr
    countries = client.get(f"{API}countries/", {"page_size": 100}).json()
    assert countries["count"] == Country.objects.count() and countries["next"]
    spain = client.get(f"{API}countries/spain/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert spain["code"] == "ES" and spain["name"] == "Spanien"


# --- Filters, search, ordering, pagination ----------------------------------------------------


def test_the_lists_filters_apply_and_combine(client, directory):
    url = f"{API}projects/"
    assert names(client.get(url, {"area": "digital-democracy"})) == ["Decidim"]
    assert names(client.get(url, {"country": "france", "tech": "open-data"})) == ["Decidim"]
    assert names(client.get(url, {"live": "closed"})) == ["Smart Citizen"]
    # two values of one filter: either will do
    assert names(client.get(url, {"country": ["spain", "france"]})) == ["Decidim", "Smart Citizen"]
    assert names(client.get(url, {"country": "france", "area": "digital-democracy"})) == ["Decidim"]
    assert names(client.get(f"{API}organisations/", {"tag": "civic-tech"})) == ["Liberté Numérique"]
    assert names(client.get(f"{API}organisations/", {"city": "zurich"})) == ["Liberté Numérique"]


def test_search_and_ordering(client, directory):
    url = f"{API}organisations/"
    assert names(client.get(url, {"search": "liberte"})) == ["Liberté Numérique"]
    assert names(client.get(url, {"search": "hidden"})) == []
    assert names(client.get(url, {"ordering": "-name"})) == [
        "Liberté Numérique",
        "Fab Lab Barcelona",
    ]
    assert names(client.get(url, {"ordering": "-published"})) == [
        "Fab Lab Barcelona",  # published after Liberté
        "Liberté Numérique",
    ]
    assert names(client.get(url, {"ordering": "published"})) == [
        "Liberté Numérique",
        "Fab Lab Barcelona",
    ]


def test_ordering_by_update_both_ways_is_not_mixed_up_with_the_pages_order(client, directory):
    # The pages' ?sort=updated is newest first: the API's oldest-first order is not its cache.
    liberte, fablab = directory["liberte"], directory["fablab"]
    type(liberte).objects.filter(pk=liberte.pk).update(
        updated_at=fablab.updated_at.replace(year=2020)
    )
    url = f"{API}organisations/"
    assert client.get("/en/organisations/", {"sort": "updated"}).status_code == 200
    newest_first = ["Fab Lab Barcelona", "Liberté Numérique"]
    assert names(client.get(url, {"ordering": "-updated"})) == newest_first
    assert names(client.get(url, {"ordering": "updated"})) == newest_first[::-1]


def test_pagination_is_bounded_and_links_onwards(client, db):
    for n in range(5):
        OrganisationFactory(name=f"Org {n}")
    body = client.get(f"{API}organisations/", {"page_size": 2}).json()
    assert body["count"] == 5 and len(body["results"]) == 2
    assert "page=2" in body["next"] and body["previous"] is None
    last = client.get(f"{API}organisations/", {"page_size": 2, "page": 3}).json()
    assert [item["name"] for item in last["results"]] == ["Org 4"] and last["next"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "atlantis"}, "country"),
        ({"ordering": "colour"}, "ordering"),
        ({"live": "maybe"}, "live"),
        ({"tag": "no-such-tag"}, "tag"),
        ({"search": "x" * 201}, "search"),
        ({"page": "two"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"page_size": "-1"}, "page_size"),
        # Digits that are not decimal (int() refuses them) and a number too long to read.
        ({"page": "\u00b2"}, "page"),
        ({"page_size": "\u00b2"}, "page_size"),
        ({"page_size": "9" * 3000}, "page_size"),
        ({"area": [f"a{n}" for n in range(11)]}, "area"),
    ],
)
def test_invalid_parameters_get_a_400_with_a_message_per_field(client, directory, params, field):
    response = client.get(f"{API}projects/", params)
    assert response.status_code == 400
    body = response.json()
    assert field in body and body[field] and all(isinstance(m, str) for m in body[field])


def test_too_many_values_for_one_filter_are_refused(client, directory):
    slugs = list(Country.objects.values_list("slug", flat=True)[:11])
    response = client.get(f"{API}projects/", {"country": slugs})
    assert response.status_code == 400 and "at most 10" in response.json()["country"][0]


def test_a_page_past_the_last_is_a_404_that_says_so(client, directory):
    response = client.get(f"{API}projects/", {"page": 9})
    assert response.status_code == 404 and "1 page" in response.json()["detail"]


def test_control_characters_are_refused_or_ignored_never_a_500(client, directory):
    response = client.get(f"{API}projects/", {"search": "open\x00data", "city": "\x07"})
    assert response.status_code in (200, 400)


def test_the_api_is_read_only(client, directory):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(
            f"{API}projects/decidim/", content_type="application/json"
        )
        assert response.status_code in (403, 405)
    assert client.post(f"{API}projects/", {}).status_code in (403, 405)


# --- Caches and query counts ------------------------------------------------------------------


def test_list_query_counts_are_bounded(client, directory, django_assert_num_queries):
    from directory.vocabularies import vocabulary_tables

    for n in range(10):
        OrganisationFactory(name=f"More {n}")
        ProjectFactory(name=f"More project {n}")
    vocabulary_tables()  # read once per process, as a running site has them
    for kind in ("organisations", "projects"):  # each worker's facet index, built at first use
        assert client.get(f"{API}{kind}/", {"country": "france"}).status_code == 200
    # organisations: the index's look for changes (at every request in tests), rows, tags,
    # networks, project links; the count and the page's ids come from the index
    with django_assert_num_queries(5):
        assert client.get(f"{API}organisations/", {"country": "spain"}).status_code == 200
    # the same request again: the whole answer comes from the cache
    with django_assert_num_queries(0):
        assert client.get(f"{API}organisations/", {"country": "spain"}).status_code == 200
    # in reverse order of name, in pages of another size: the index again
    with django_assert_num_queries(5):
        response = client.get(
            f"{API}organisations/", {"country": "spain", "page_size": 5, "ordering": "-name"}
        )
        assert response.status_code == 200
    # projects: the look, rows, seven relations, organisation links
    with django_assert_num_queries(10):
        assert client.get(f"{API}projects/", {"page_size": 50}).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(f"{API}projects/", {"page_size": 50}).status_code == 200
    # the first published first: the index's newest the other way round
    with django_assert_num_queries(10):
        response = client.get(f"{API}projects/", {"page_size": 50, "ordering": "published"})
        assert response.status_code == 200


def test_without_the_index_list_query_counts_are_bounded(
    client, directory, settings, django_assert_num_queries
):
    from directory.vocabularies import vocabulary_tables

    settings.FACET_INDEX_MAX_ROWS = 0  # the index refuses to build: Postgres counts and pages
    vocabulary_tables()
    assert client.get(f"{API}organisations/", {"country": "france"}).status_code == 200
    # count, page ids, rows, tags, networks, project links
    with django_assert_num_queries(6):
        assert client.get(f"{API}organisations/", {"country": "spain"}).status_code == 200
    # the same results in pages of another size: the count and the page's ids (the one row in
    # Spain) come from the cache
    with django_assert_num_queries(4):
        response = client.get(f"{API}organisations/", {"country": "spain", "page_size": 5})
        assert response.status_code == 200


def test_item_and_vocabulary_query_counts(client, directory, django_assert_num_queries):
    with django_assert_num_queries(4):  # row, tags, networks, project links
        assert client.get(f"{API}organisations/liberte-numerique/").status_code == 200
    with django_assert_num_queries(9):  # row, seven relations, organisation links
        assert client.get(f"{API}projects/decidim/").status_code == 200
    with django_assert_num_queries(2):  # count, page
        assert client.get(f"{API}technologies/").status_code == 200


def test_counts_and_pages_follow_changes(client, directory, django_capture_on_commit_callbacks):
    assert client.get(f"{API}organisations/").json()["count"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory(name="Newcomer")
        directory_changed()
    body = client.get(f"{API}organisations/").json()
    assert body["count"] == 3 and "Newcomer" in [item["name"] for item in body["results"]]


# --- Schema, docs, CORS, throttling -----------------------------------------------------------


def test_the_schema_is_openapi_3_and_describes_the_filters(client, db):
    response = client.get(f"{API}schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/projects/"]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert {"search", "ordering", "page", "page_size", "area", "tech", "country"} <= parameters
    assert "q" not in parameters and "sort" not in parameters
    assert {"200", "400"} <= set(operation["responses"])
    # anonymous: no log-in scheme for the docs to offer
    assert "securitySchemes" not in schema.get("components", {})


def test_the_docs_page_is_served_without_a_cdn(client, db):
    response = client.get(f"{API}docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


def test_the_docs_page_answers_options_without_an_error(client, db):
    response = client.options(f"{API}docs/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and "GET" in response["Allow"]


def test_cross_origin_reads_are_allowed_and_only_reads(client, directory):
    response = client.get(f"{API}projects/", HTTP_ORIGIN="https://research.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{API}projects/",
        HTTP_ORIGIN="https://research.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response
    # pages of the site are not shared
    page = client.get("/en/projects/", HTTP_ORIGIN="https://research.example")
    assert "Access-Control-Allow-Origin" not in page


def test_anonymous_clients_are_throttled(client, db, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = rates
    try:
        cache.clear()
        statuses = [client.get(f"{API}technologies/").status_code for _ in range(4)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
    assert statuses == [200, 200, 200, 429]
