"""The map page without JavaScript: the SVG of Europe by country and the tables of countries and
cities, each linking to the filtered lists, within the page's filters; the lists link back."""

import pytest
from django.urls import reverse

from directory.models import Country
from directory.models import Organisation
from directory.models import Project
from explore.choropleth import decode_arcs
from explore.choropleth import ring_points
from explore.choropleth import shade_class
from explore.tests.map_data import spread

URL = reverse("explore:map")


@pytest.fixture
def directory(db):
    return spread()


def _count(model, code, **filters):
    country = Country.objects.get(code=code)
    return (
        model.objects.published()
        .filter(facet_keys__contains=[f"country:{country.pk}"], **filters)
        .count()
    )


def test_the_page_works_without_javascript(client, directory):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    # the SVG: Spain (ISO 724) a link to the organisations in Spain, its count in its title
    spain = _count(Organisation, "ES")
    assert (
        f'<a href="/en/organisations/?country=spain"><title>Spain: {spain} organisations</title>'
        in html
    )
    assert html.count("<path") > 30  # the countries of Europe, those without profiles too
    # the table: a row per country with both counts, each a link to its list
    assert f'<a href="/en/organisations/?country=france">{_count(Organisation, "FR")}</a>' in html
    assert f'<a href="/en/projects/?country=germany">{_count(Project, "DE")}</a>' in html
    # the cities, most first
    cities = response.context["cities"]
    assert cities[0]["organisations"] == max(city["organisations"] for city in cities)
    assert cities[0]["url"] == f"/en/organisations/?city={cities[0]['name']}"
    # the interactive map waits, hidden, for the script; the lists are one link away
    assert "data-explore-map" in html and 'href="/en/organisations/"' in html
    # the outlines' addresses, from {% static %}; the finer ones only past the first view's zoom
    assert 'data-atlas-url="/static/vendor/world-atlas/countries-110m.json"' in html
    assert 'data-fine-atlas-url="/static/vendor/world-atlas/countries-50m.json"' in html
    assert response.context["fine_atlas_zoom"] > response.context["view"]["z"]


def test_filters_apply_to_the_counts_and_the_links(client, directory):
    response = client.get(URL, {"q": "open", "country": ["spain", "france"], "z": "6"})
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["countries"]}
    # disjunctive: each chosen country counts with the search but not the other country
    spain = Country.objects.get(code="ES")
    expected = (
        Organisation.objects.published()
        .matching("open")
        .filter(facet_keys__contains=[f"country:{spain.pk}"])
        .count()
    )
    assert rows["Spain"]["organisations"] == expected
    assert rows["Spain"]["organisations_url"] == "/en/organisations/?q=open&country=spain"
    assert response.context["organisations_url"] == (
        "/en/organisations/?q=open&country=spain&country=france"
    )
    assert response.context["view"]["z"] == 6


def test_without_the_index_postgres_counts_the_same(client, directory, settings):
    indexed = client.get(URL, {"q": "open", "country": "spain"}).context
    settings.FACET_INDEX_MAX_ROWS = 0  # no index
    from core.facets.live import every_index_reset

    every_index_reset()
    response = client.get(URL, {"q": "open", "country": "spain"})
    assert response.status_code == 200
    assert response.context["countries"] == indexed["countries"]
    assert response.context["cities"] == indexed["cities"]


@pytest.mark.parametrize(
    "params",
    [
        {"country": ["spain"] * 11},
        {"country": "atlantis"},
        {"lat": "north"},
        {"z": "40"},
        {"lng": "inf"},
        {"live": "x"},
    ],
)
def test_a_bad_query_is_a_400_that_says_why(client, db, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_query_count_is_bounded(client, directory, django_assert_num_queries):
    client.get(URL)  # builds the indexes; the cities' spellings are cached
    # each index's look for changes, the search's ids of each kind
    with django_assert_num_queries(4):
        assert client.get(URL, {"q": "civic"}).status_code == 200


def test_the_lists_link_to_the_same_view_on_the_map(client, directory):
    html = client.get("/en/organisations/", {"country": "spain", "q": "open"}).content.decode()
    assert f'<a href="{URL}?country=spain&amp;q=open">See on the map</a>' in html


def test_topojson_arcs_are_decoded_from_deltas():
    topology = {
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[0, 0], [2, 4]]],
    }
    arcs = decode_arcs(topology)
    assert arcs[0] == [(10.0, 20.0), (11.0, 20.0), (11.0, 21.0)]
    # a ring of the first arc and the second reversed (~1), the shared point once
    assert ring_points([0, ~1], arcs) == [(10.0, 20.0), (11.0, 20.0), (11.0, 21.0), (10.0, 20.0)]
    assert shade_class(0, 10) == 0 and shade_class(10, 10) == 5 and shade_class(1, 1000) == 1


def test_a_ring_across_the_antimeridian_goes_on_rather_than_back():
    from explore.choropleth import _path
    from explore.choropleth import project

    path = _path([[(40.0, 60.0), (179.0, 65.0), (-179.0, 66.0), (40.0, 70.0)]])
    xs = [float(point.split()[0]) for point in path.strip("MZ").split("L")]
    # past 180 degrees east, not back to 179 degrees west
    assert xs[2] > xs[1] > xs[0]
    assert xs[2] == round(project(181.0, 66.0)[0], 1)
