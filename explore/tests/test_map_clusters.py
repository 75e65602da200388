"""The map's clusters (explore/clusters.py, /explore/map/clusters.json): counts per grid cell
equal a brute-force count over the filtered rows, at the facet index's zooms, the fine grid's
and from Postgres while there is no index; points one by one when few; bad parameters 400."""

import random

import pytest
from django.urls import reverse

from core.search import grid_cell
from directory.filters import OrganisationFilterSet
from directory.filters import ProjectFilterSet
from directory.models import Country
from directory.models import Organisation
from directory.models import OrganisationType
from directory.models import Project
from directory.models import SocialArea
from events.tests.factories import EventFactory
from explore import clusters as clusters_module
from explore.tests.map_data import WORDS
from explore.tests.map_data import spread

URL = reverse("explore:map_clusters")
EUROPE = "-25,34,45,72"
FILTER_SETS = {
    "organisations": (Organisation, OrganisationFilterSet),
    "projects": (Project, ProjectFilterSet),
}


@pytest.fixture
def directory(db):
    return spread()


def _brute_force(kind: str, params: dict, bbox: str, zoom: int) -> dict[tuple[int, int], int]:
    """Count per cell at `zoom` of the rows the list's filters give (Postgres's path) whose cell
    touches the box: independent of the index and of the map's own grid code."""
    model, filterset_class = FILTER_SETS[kind]
    filterset = filterset_class(params, queryset=model.objects.published())
    assert filterset.is_valid()
    filterset.qs  # noqa: B018
    west, south, east, north = map(float, bbox.split(","))
    x0, y0 = grid_cell(north, west, zoom)
    x1, y1 = grid_cell(south, east, zoom)
    counts = {}
    for lat, lng in filterset.filtered.values_list("latitude", "longitude"):
        if lat is None or lng is None:
            continue
        x, y = grid_cell(lat, lng, zoom)
        if x0 <= x <= x1 and y0 <= y <= y1:
            counts[(x, y)] = counts.get((x, y), 0) + 1
    return counts


def _random_filters(rng) -> dict:
    params = {}
    if rng.random() < 0.5:
        params["country"] = rng.sample(["spain", "france", "germany", "italy"], rng.randint(1, 2))
    if rng.random() < 0.4:
        params["q"] = rng.choice(WORDS)
    if rng.random() < 0.4:
        params["type"] = [
            rng.choice(list(OrganisationType.objects.values_list("slug", flat=True)[:3]))
        ]
    if rng.random() < 0.4:
        params["area"] = [rng.choice(list(SocialArea.objects.values_list("slug", flat=True)[:3]))]
    if rng.random() < 0.3:
        params["live"] = rng.choice(["live", "closed"])
    return params


def _cells(answer: dict, kind: str) -> dict[tuple[int, int], int]:
    counts = {}
    for cluster in answer["clusters"]:
        _zoom, x, y = map(int, cluster["cell"].split(":"))
        if kind in cluster["counts"]:
            counts[(x, y)] = cluster["counts"][kind]
    return counts


@pytest.mark.parametrize(
    ("zoom", "bbox", "grid"),
    [(3, EUROPE, 5), (5, "-10,35,20,55", 7), (8, "-5,38,6,44", 9), (10, "1.5,41,2.5,42", 11)],
)
@pytest.mark.parametrize("indexed", [True, False])
def test_clusters_equal_a_brute_force_count(
    client, directory, monkeypatch, settings, zoom, bbox, grid, indexed
):
    monkeypatch.setattr(clusters_module, "POINTS_LIMIT", 0)  # always clusters
    if not indexed:
        settings.FACET_INDEX_MAX_ROWS = 0  # no index: Postgres filters and groups
    rng = random.Random(zoom * 7 + indexed)
    for _ in range(6):
        params = _random_filters(rng)
        answer = client.get(URL, {**params, "bbox": bbox, "zoom": zoom}).json()
        assert answer["grid"] == grid  # the index's zooms (5, 7), the fine grid's (9, 11)
        for kind in ("organisations", "projects"):
            kind_params = {
                k: v for k, v in params.items() if k in FILTER_SETS[kind][1].base_filters
            }
            expected = _brute_force(kind, kind_params, bbox, grid)
            if not indexed:  # Postgres counts the rows inside the box itself
                west, south, east, north = map(float, bbox.split(","))
                model, filterset_class = FILTER_SETS[kind]
                filterset = filterset_class(kind_params, queryset=model.objects.published())
                filterset.qs  # noqa: B018
                inside = filterset.filtered.filter(
                    latitude__range=(south, north), longitude__range=(west, east)
                ).values_list("latitude", "longitude")
                expected = {}
                for lat, lng in inside:
                    cell = grid_cell(lat, lng, grid)
                    expected[cell] = expected.get(cell, 0) + 1
            assert _cells(answer, kind) == expected, (kind, params)
        assert answer["total"] == sum(c["count"] for c in answer["clusters"])


def test_a_cluster_sits_inside_its_cell_and_names_its_bounds(client, directory, monkeypatch):
    monkeypatch.setattr(clusters_module, "POINTS_LIMIT", 0)
    answer = client.get(URL, {"bbox": EUROPE, "zoom": 4, "kinds": "organisations"}).json()
    assert answer["kinds"] == ["organisations"] and answer["clusters"]
    for cluster in answer["clusters"]:
        south, west, north, east = cluster["bounds"]
        assert south <= cluster["lat"] <= north and west <= cluster["lng"] <= east
        assert set(cluster["counts"]) == {"organisations"}


def test_few_points_come_one_by_one_with_their_links(client, directory):
    # Barcelona and around, all kinds: fewer than POINTS_LIMIT
    bbox = "0,39,4,43"
    answer = client.get(URL, {"bbox": bbox, "zoom": 6, "country": "spain"}).json()
    assert answer["clusters"] == [] and answer["points"]
    expected = set()
    for kind, (model, _) in FILTER_SETS.items():
        rows = model.objects.published().filter(
            latitude__range=(39, 43),
            longitude__range=(0, 4),
            facet_keys__contains=[f"country:{Country.objects.get(code='ES').pk}"],
        )
        expected |= {(kind, row.pk, row.name, row.get_absolute_url()) for row in rows}
    assert {(p["kind"], p["id"], p["name"], p["url"]) for p in answer["points"]} == expected
    assert answer["total"] >= len(expected)  # counted by cells, which reach past the box


def test_deep_zoom_gives_points_even_when_many(client, directory, monkeypatch):
    monkeypatch.setattr(clusters_module, "POINTS_LIMIT", 3)
    monkeypatch.setattr(clusters_module, "POINTS_IDS", 12)
    answer = client.get(URL, {"bbox": "-5,38,6,44", "zoom": 14, "kinds": "organisations"}).json()
    assert answer["grid"] is None and answer["clusters"] == []
    assert answer["truncated"] is True
    assert 0 < len(answer["points"]) <= 4
    for point in answer["points"]:
        assert -5 <= point["lng"] <= 6 and 38 <= point["lat"] <= 44
    # closer in still, below the limit: all of them, not truncated
    row = Organisation.objects.published().exclude(latitude=None).first()
    near = 0.0001
    box = ",".join(
        str(value)
        for value in (
            row.longitude - near,
            row.latitude - near,
            row.longitude + near,
            row.latitude + near,
        )
    )
    answer = client.get(URL, {"bbox": box, "zoom": 16, "kinds": "organisations"}).json()
    assert [p["id"] for p in answer["points"]] == [row.pk] and answer["truncated"] is False


def test_fine_grid_clusters_past_the_index_zooms(client, directory, monkeypatch):
    monkeypatch.setattr(clusters_module, "POINTS_LIMIT", 0)
    bbox = "1,40.5,3.5,42.5"
    answer = client.get(URL, {"bbox": bbox, "zoom": 9, "kinds": "projects", "live": "live"}).json()
    assert answer["grid"] == 11
    assert _cells(answer, "projects") == _brute_force("projects", {"live": "live"}, bbox, 11)


def test_upcoming_events_are_clustered_and_filtered_by_country(client, directory, monkeypatch):
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    EventFactory(latitude=41.4, longitude=2.2, country=spain)
    EventFactory(latitude=41.41, longitude=2.21, country=spain)
    EventFactory(latitude=48.8, longitude=2.3, country=france)
    EventFactory(latitude=None, longitude=None, country=france)
    answer = client.get(URL, {"bbox": EUROPE, "zoom": 4, "kinds": "events"}).json()
    assert sorted(p["name"].split()[-1] for p in answer["points"]) and len(answer["points"]) == 3
    assert all(p["url"].startswith("/en/events/") for p in answer["points"])
    monkeypatch.setattr(clusters_module, "POINTS_LIMIT", 0)
    answer = client.get(
        URL, {"bbox": EUROPE, "zoom": 4, "kinds": "events", "country": "spain"}
    ).json()
    assert [c["counts"] for c in answer["clusters"]] == [{"events": 2}]


def test_events_take_the_search_city_and_social_area_of_the_lists(client, directory):
    from events.services import event_reindex

    area = SocialArea.objects.get(slug="health-and-care")
    EventFactory(title="Open data clinic", latitude=41.4, longitude=2.2, city="Barcelona")
    in_area = EventFactory(title="Care hackathon", latitude=41.41, longitude=2.2, city="Girona")
    in_area.social_areas.set([area])
    event_reindex(in_area)
    EventFactory(title="Care meetup", latitude=48.8, longitude=2.3, city="Paris")

    def names(**params) -> list[str]:
        query = {"bbox": EUROPE, "zoom": 4, "kinds": "events", **params}
        return sorted(point["name"] for point in client.get(URL, query).json()["points"])

    assert names() == ["Care hackathon", "Care meetup", "Open data clinic"]
    assert names(q="care") == ["Care hackathon", "Care meetup"]
    assert names(city="girona") == ["Care hackathon"]
    assert names(area="health-and-care") == ["Care hackathon"]
    assert names(q="care", city="paris") == ["Care meetup"]
    # Filters events do not have leave them as they are.
    assert len(names(tech="open-data")) == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "bbox must be four numbers"),
        ({"bbox": "1,2,3"}, "bbox must be four numbers"),
        ({"bbox": "a,2,3,4", "zoom": 3}, "west must be a number"),
        ({"bbox": "1,2,nan,4", "zoom": 3}, "east must be between"),
        ({"bbox": "10,2,3,4", "zoom": 3}, "west below east"),
        ({"bbox": "1,2,3,400", "zoom": 3}, "north must be between"),
        ({"bbox": EUROPE}, "zoom must be a whole number"),
        ({"bbox": EUROPE, "zoom": "99"}, "zoom must be between"),
        ({"bbox": EUROPE, "zoom": 3, "kinds": "people"}, "kinds takes"),
        ({"bbox": EUROPE, "zoom": 3, "country": "atlantis"}, "country:"),
        ({"bbox": EUROPE, "zoom": 3, "live": "maybe"}, "live:"),
        ({"bbox": EUROPE, "zoom": 3, "city": "x" * 300}, "city:"),
        ({"bbox": EUROPE, "zoom": 3, "area": ["health-and-care"] * 11}, "at most 10 values"),
    ],
)
def test_bad_parameters_are_a_400_that_says_why(client, db, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["detail"]


def test_query_count_is_bounded(client, directory, django_assert_num_queries, monkeypatch):
    params = {"bbox": EUROPE, "zoom": 5, "q": "open", "type": OrganisationType.objects.first().slug}
    client.get(URL, params)  # builds the indexes and fine grids
    monkeypatch.setattr(clusters_module, "POINTS_LIMIT", 0)
    # each index's look for changes, the search's ids of each kind, the events' grouped query
    with django_assert_num_queries(5):
        assert client.get(URL, {**params, "q": "civic"}).status_code == 200
    # panning with the same filters: they were validated, the search's ids are kept
    with django_assert_num_queries(3):
        assert client.get(URL, {**params, "q": "civic", "bbox": "-10,35,20,55"}).status_code == 200
    monkeypatch.setattr(clusters_module, "POINTS_LIMIT", 300)
    # points: the same, and one query per kind with points for them (no events here)
    with django_assert_num_queries(7):
        answer = client.get(URL, {**params, "q": "health"}).json()
    assert answer["points"]


def test_empty_values_of_the_filter_form_mean_any(client, directory):
    params = {"bbox": EUROPE, "zoom": 4, "area": "", "type": "", "live": "", "q": ""}
    everything = client.get(URL, {"bbox": EUROPE, "zoom": 4}).json()
    assert client.get(URL, params).json() == everything
    assert client.get(reverse("explore:map"), params).status_code == 200
