"""`?format=geojson` on the API (core.api.geojson): the renderer's FeatureCollection and what
the schema says of it."""

import pytest

from core.api.geojson import feature_collection

SCHEMA = "/api/v1/schema/?format=json"
GEO = "application/geo+json"
PLACED = ["/api/v1/organisations/", "/api/v1/projects/", "/api/v1/events/"]


def test_a_page_becomes_points_in_longitude_latitude_order_with_its_pagination():
    page = {
        "count": 12,
        "next": "http://hub.example/api/v1/events/?format=geojson&page=3",
        "previous": "http://hub.example/api/v1/events/?format=geojson",
        "results": [
            {"id": 1, "title": "Here", "latitude": 41.4, "longitude": 2.2},
            {"id": 2, "title": "Online", "latitude": None, "longitude": None},
            {"id": 3, "title": "Equator", "latitude": 0.0, "longitude": 0.0},
        ],
    }
    collection = feature_collection("event", page)
    assert collection["type"] == "FeatureCollection"
    assert collection["features"] == [
        {
            "type": "Feature",
            "id": 1,
            "geometry": {"type": "Point", "coordinates": [2.2, 41.4]},
            "properties": {"kind": "event", "id": 1, "title": "Here"},
        },
        {
            "type": "Feature",
            "id": 3,
            "geometry": {"type": "Point", "coordinates": [0.0, 0.0]},  # zero is a place
            "properties": {"kind": "event", "id": 3, "title": "Equator"},
        },
    ]
    assert collection["properties"] == {
        "kind": "event",
        "count": 12,
        "next": page["next"],
        "previous": page["previous"],
        "without_coordinates": 1,
    }


@pytest.fixture
def schema(client, db):
    return client.get(SCHEMA).json()


@pytest.mark.parametrize("path", PLACED)
def test_the_schema_declares_geojson_for_lists_and_items_with_a_place(schema, path):
    listed = schema["paths"][path]["get"]
    parameters = {parameter["name"]: parameter for parameter in listed["parameters"]}
    assert parameters["format"]["schema"]["enum"] == ["json", "geojson"]
    collection = listed["responses"]["200"]["content"][GEO]["schema"]
    assert collection["properties"]["type"]["enum"] == ["FeatureCollection"]
    feature = collection["properties"]["features"]["items"]
    assert feature["properties"]["geometry"]["properties"]["coordinates"]["maxItems"] == 2
    assert set(collection["properties"]["properties"]["required"]) == {
        "kind", "count", "next", "previous", "without_coordinates",
    }  # fmt: skip
    # a wrong parameter is answered in JSON whatever the format asked
    assert set(listed["responses"]["400"]["content"]) == {"application/json"}
    item = schema["paths"][f"{path}{{slug}}/"]["get"]["responses"]["200"]["content"][GEO]
    assert item["schema"]["properties"]["type"]["enum"] == ["Feature"]


def test_lists_without_a_place_offer_no_geojson(schema):
    for path in ("/api/v1/funding/", "/api/v1/stories/", "/api/v1/countries/"):
        operation = schema["paths"][path]["get"]
        assert GEO not in operation["responses"]["200"]["content"], path
        assert "format" not in {parameter["name"] for parameter in operation["parameters"]}


@pytest.mark.parametrize("path", ["/api/v1/funding/", "/api/v1/countries/"])
def test_asking_geojson_of_a_list_without_a_place_is_a_404(client, db, path):
    answer = client.get(path, {"format": "geojson"})
    assert answer.status_code == 404
