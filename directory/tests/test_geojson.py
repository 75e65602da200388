"""GeoJSON of the directory's filtered lists (core.geojson, core.api.geojson): the downloads
/data/organisations.geojson and /data/projects.geojson and `?format=geojson` on the API lists,
checked against a brute-force selection on random filters."""

import json
import math
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.download_files import DownloadFileResponse
from core.tests.downloads import body
from directory.models import Country
from directory.models import Organisation
from directory.models import Project
from directory.tests import test_search
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from directory.tests.test_search import ORGANISATION_FILTERS
from directory.tests.test_search import PROJECT_FILTERS
from directory.tests.test_search import as_querydict
from directory.tests.test_search import expected_ids
from directory.tests.test_search import expected_values
from directory.tests.test_search import random_query

seeded = test_search.seeded  # the random directory, as a fixture of this module too
KINDS = [
    (Organisation, "organisations", ORGANISATION_FILTERS),
    (Project, "projects", PROJECT_FILTERS),
]


@pytest.fixture
def placed(seeded):
    """The random directory, two profiles in three placed somewhere in Europe."""
    rng = random.Random(16)
    for model in (Organisation, Project):
        for pk in model.objects.values_list("pk", flat=True):
            if rng.random() < 2 / 3:
                latitude, longitude = rng.uniform(35, 70), rng.uniform(-10, 30)
                model.objects.filter(pk=pk).update(latitude=latitude, longitude=longitude)
    return seeded


def coordinates(model) -> dict[int, tuple[float, float]]:
    rows = model.objects.filter(latitude__isnull=False, longitude__isnull=False)
    return {pk: (lat, lng) for pk, lat, lng in rows.values_list("pk", "latitude", "longitude")}


def geojson(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    text = body(response) if response.streaming else response.content.decode()
    return json.loads(text)


def assert_valid_points(collection: dict, placed: dict) -> None:
    """A FeatureCollection of Points, each at its profile's [longitude, latitude]."""
    assert collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        longitude, latitude = geometry["coordinates"]
        assert all(isinstance(v, float) and math.isfinite(v) for v in (longitude, latitude))
        assert (latitude, longitude) == placed[feature["id"]]  # RFC 7946: longitude first


@pytest.mark.parametrize(("model", "plural", "names"), KINDS)
def test_the_download_holds_the_filtered_profiles_that_have_coordinates(
    client, placed, model, plural, names
):
    rng = random.Random(f"{plural}-geojson")
    values = expected_values(model)
    located = coordinates(model)
    found_some = 0
    for _ in range(40):
        query = random_query(rng, placed, names)
        expected = expected_ids(model, values, query)
        collection = geojson(client.get(f"/data/{plural}.geojson", as_querydict(query)))
        assert_valid_points(collection, located)
        ids = [feature["id"] for feature in collection["features"]]
        assert len(ids) == len(set(ids))
        assert set(ids) == expected & set(located), query
        assert collection["properties"] == {
            "kind": model._meta.model_name,
            "features": len(ids),
            "without_coordinates": len(expected - set(located)),
        }
        found_some += bool(ids) and len(query) > 1
    assert found_some > 3


@pytest.mark.parametrize(("model", "plural", "names"), KINDS)
def test_the_api_gives_a_page_of_the_same_selection_as_features(
    client, placed, model, plural, names
):
    rng = random.Random(f"{plural}-api-geojson")
    values = expected_values(model)
    located = coordinates(model)
    for _ in range(25):
        query = random_query(rng, placed, names)
        expected = expected_ids(model, values, query)
        params = as_querydict(query)
        params["page_size"] = "100"  # every row on one page
        params["format"] = "geojson"
        cache.clear()
        collection = geojson(client.get(f"/api/v1/{plural}/", params))
        assert_valid_points(collection, located)
        assert {feature["id"] for feature in collection["features"]} == expected & set(located)
        properties = collection["properties"]
        assert properties["count"] == len(expected), query
        assert properties["without_coordinates"] == len(expected - set(located))
        assert properties["next"] is None and properties["previous"] is None
        for feature in collection["features"]:
            assert feature["properties"]["kind"] == model._meta.model_name
            assert "latitude" not in feature["properties"]
            assert feature["properties"]["url"].startswith("http")


def test_the_features_order_and_properties_follow_the_list(client, db, settings):
    spain = Country.objects.get(code="ES")
    zebra = OrganisationFactory(
        name="Zebra lab", city="Madrid", country=spain, latitude=40.4, longitude=-3.7
    )
    OrganisationFactory(
        name="Alpha lab", city="Sevilla", country=spain, latitude=37.4, longitude=-6
    )
    OrganisationFactory(name="Nowhere lab", country=spain)
    collection = geojson(client.get("/data/organisations.geojson", {"country": "spain"}))
    assert [feature["properties"]["name"] for feature in collection["features"]] == [
        "Alpha lab",
        "Zebra lab",
    ]
    last = collection["features"][1]
    assert last == {
        "type": "Feature",
        "id": zebra.pk,
        "geometry": {"type": "Point", "coordinates": [-3.7, 40.4]},
        "properties": {
            "kind": "organisation",
            "name": "Zebra lab",
            "url": f"{settings.SITE_URL}/en/organisations/{zebra.slug}/",
            "city": "Madrid",
            "country_code": "ES",
            "country": "Spain",
            "organisation_type": last["properties"]["organisation_type"],
            "organisation_size": "",
            "tags": [],
        },
    }
    assert collection["properties"]["without_coordinates"] == 1
    newest = geojson(client.get("/data/organisations.geojson", {"sort": "newest"}))
    assert [f["properties"]["name"] for f in newest["features"]] == ["Alpha lab", "Zebra lab"]


def test_a_project_feature_carries_its_countries_and_topics(client, placed):
    project = Project.objects.published().filter(latitude__isnull=False).first()
    collection = geojson(client.get("/data/projects.geojson"))
    found = next(f for f in collection["features"] if f["id"] == project.pk)
    assert set(found["properties"]) == {
        "kind", "name", "url", "city", "country_codes", "countries", "live", "support_tags",
        "technology",
    }  # fmt: skip
    assert found["properties"]["live"] is project.live
    assert sorted(found["properties"]["support_tags"]) == sorted(
        str(area.name) for area in project.social_areas.all()
    )


@pytest.mark.parametrize("plural", ["organisations", "projects"])
@pytest.mark.parametrize(
    "query",
    [{"country": "atlantis"}, {"area": "x" * 300}, {"country": ["spain"] * 11}, {"sort": "size"}],
)
def test_bad_filters_are_refused_as_in_the_other_formats(client, db, plural, query):
    api_query = {"ordering" if name == "sort" else name: value for name, value in query.items()}
    download = client.get(f"/data/{plural}.geojson", query)
    assert download.status_code == 400
    assert download["Content-Type"] == "application/json"
    json_download = client.get(f"/data/{plural}.json", query)
    assert download.json() == json_download.json()
    api = client.get(f"/api/v1/{plural}/", {**api_query, "format": "geojson"})
    plain = client.get(f"/api/v1/{plural}/", api_query)
    assert api.status_code == plain.status_code == 400
    assert api["Content-Type"] == "application/json"
    assert api.json() == plain.json()


def test_a_page_past_the_last_is_the_same_404(client, db):
    answer = client.get("/api/v1/organisations/", {"format": "geojson", "page": "5"})
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json" and "detail" in answer.json()


def test_the_api_pages_say_where_the_next_page_is(client, db):
    for number in range(5):
        OrganisationFactory(name=f"Lab {number}", latitude=50 + number, longitude=4)
    OrganisationFactory(name="Lab without a place")
    first = geojson(client.get("/api/v1/organisations/", {"format": "geojson", "page_size": 4}))
    assert first["properties"]["count"] == 6
    assert len(first["features"]) == 4
    assert "format=geojson" in first["properties"]["next"]
    second = geojson(client.get(first["properties"]["next"]))
    assert len(second["features"]) == 1
    assert second["properties"]["without_coordinates"] == 1
    item = geojson(client.get("/api/v1/organisations/lab-without-a-place/?format=geojson"))
    assert item["type"] == "Feature" and item["geometry"] is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # as the CSV and JSON files: the codes, tags, the other kind's unpublished ids (and
        # the projects' tags listed twice), the cursor's settings and the rows, in a savepoint
        ("/data/organisations.geojson", 7),
        ("/data/projects.geojson", 8),
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, db, django_assert_num_queries, monkeypatch, settings, url, expected
):
    monkeypatch.setattr("core.exports.CHUNK_SIZE", 5)  # several fetches
    settings.DOWNLOAD_FILES_DIR = ""

    def add(count):
        for number in range(count):
            OrganisationFactory(latitude=40 + number / 10, longitude=2)
            ProjectFactory(latitude=41, longitude=2 + number / 10)
            OrganisationFactory()
            ProjectFactory()

    add(2)
    body(client.get(url))  # the vocabularies are cached from here on
    with django_assert_num_queries(expected):
        few = len(json.loads(body(client.get(url)))["features"])
    add(20)
    with django_assert_num_queries(expected):
        collection = json.loads(body(client.get(url)))
    assert len(collection["features"]) == few + 20
    assert collection["properties"]["without_coordinates"] == 22


@pytest.mark.parametrize("plural", ["organisations", "projects"])
def test_the_api_in_geojson_costs_the_queries_of_json(
    client, placed, plural, django_assert_max_num_queries
):
    cache.clear()
    with CaptureQueriesContext(connection) as plain:
        client.get(f"/api/v1/{plural}/", {"page_size": "50", "country": "spain"})
    cache.clear()
    with django_assert_max_num_queries(len(plain.captured_queries)):
        geojson(
            client.get(
                f"/api/v1/{plural}/", {"page_size": "50", "country": "spain", "format": "geojson"}
            )
        )


def test_the_whole_download_is_kept_and_served_again_as_it_was(client, db, settings, tmp_path):
    settings.DOWNLOAD_FILES_DIR = str(tmp_path)
    OrganisationFactory(name="Kept lab", latitude=48.2, longitude=16.4)
    first = body(client.get("/data/organisations.geojson"))
    assert [path.suffix for path in tmp_path.iterdir()] == [".geojson"]
    again = client.get("/data/organisations.geojson")
    assert isinstance(again, DownloadFileResponse)  # from the kept file, no query
    assert b"".join(again.streaming_content).decode() == first
    assert json.loads(first)["features"][0]["properties"]["name"] == "Kept lab"
