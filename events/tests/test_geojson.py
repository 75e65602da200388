"""Events as GeoJSON (core.geojson, core.api.geojson): /data/events.geojson and the API's
`?format=geojson`, filtered as the events list is."""

import datetime as dt
import json

from django.utils import timezone

from core.tests.downloads import body
from directory.models import Country
from events.tests.factories import EventFactory


def _events():
    spain = Country.objects.get(code="ES")
    soon = EventFactory(
        title="Soon in Madrid", city="Madrid", country=spain, latitude=40.42, longitude=-3.7
    )
    EventFactory(title="Soon, nowhere")
    starts = timezone.now() - dt.timedelta(days=30)
    past = EventFactory(
        title="Past in Lisbon",
        latitude=38.72,
        longitude=-9.14,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    return soon, past


def _collection(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(body(response) if response.streaming else response.content)


def test_the_download_holds_upcoming_events_with_coordinates(client, db):
    soon, past = _events()
    collection = _collection(client.get("/data/events.geojson"))
    assert [feature["id"] for feature in collection["features"]] == [soon.pk]
    feature = collection["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-3.7, 40.42]}
    properties = feature["properties"]
    assert properties["kind"] == "event"
    assert properties["name"] == "Soon in Madrid"
    assert properties["country_code"] == "ES" and properties["city"] == "Madrid"
    assert properties["url"].endswith(f"/en/events/{soon.slug}/")
    assert properties["starts_at"].endswith("Z")
    assert collection["properties"] == {"kind": "event", "features": 1, "without_coordinates": 1}
    past_ones = _collection(client.get("/data/events.geojson", {"when": "past"}))
    assert [feature["id"] for feature in past_ones["features"]] == [past.pk]
    assert past_ones["features"][0]["geometry"]["coordinates"] == [-9.14, 38.72]


def test_the_api_gives_the_same_events_as_features(client, db):
    soon, past = _events()
    collection = _collection(client.get("/api/v1/events/", {"format": "geojson"}))
    assert [feature["id"] for feature in collection["features"]] == [soon.pk]
    assert collection["properties"]["count"] == 2
    assert collection["properties"]["without_coordinates"] == 1
    assert collection["features"][0]["properties"]["title"] == "Soon in Madrid"


def test_bad_parameters_are_refused_in_json(client, db):
    download = client.get("/data/events.geojson", {"when": "soon"})
    assert download.status_code == 400 and download["Content-Type"] == "application/json"
    assert "when" in download.json()
    api = client.get("/api/v1/events/", {"when": "soon", "format": "geojson"})
    assert api.status_code == 400 and api["Content-Type"] == "application/json"
    assert api.json() == client.get("/api/v1/events/", {"when": "soon"}).json()
