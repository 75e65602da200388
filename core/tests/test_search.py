"""Search folding (core.search): words written together or apart find the same rows; grid
cells of the map as filter keys."""

import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.utils import timezone

from core.models import Status
from core.search import compound_query_text
from core.search import grid_keys
from core.search import search_words
from directory.models import Organisation
from directory.tests.factories import OrganisationFactory


def test_a_typed_word_may_be_written_apart_and_two_words_together():
    assert compound_query_text(["fablab"]) == "(fablab:* | (fab <-> lab:*))"
    assert compound_query_text(["fab", "lab"]) == "(fab:* & lab:*) | (fablab:*)"
    # Short words are not taken apart; long queries only try joining adjacent words.
    assert compound_query_text(["lab"]) == "lab:*"
    many = compound_query_text(search_words("open data for the smart city"))
    assert "<->" not in many and "(opendata:*" in many


def test_fab_lab_and_fablab_find_the_same_profiles(db):
    apart = OrganisationFactory(name="Fab Lab Barcelona", description="<p>Making things.</p>")
    together = OrganisationFactory(name="Fablab Catania", description="<p>Making things.</p>")
    in_text = OrganisationFactory(
        name="Maker space", description="<p>The first fab lab of the island, since 2012.</p>"
    )
    OrganisationFactory(name="Lab of fabrics", description="<p>Textiles.</p>")
    published = Organisation.objects.published()
    expected = {apart.pk, together.pk, in_text.pk}
    for typed in ("fablab", "fab lab", "FabLab", "Fab-Lab"):
        found = set(published.matching(typed).values_list("pk", flat=True))
        assert expected <= found, typed
    assert set(published.matching("fablab").values_list("pk", flat=True)) == expected
    # The other words still all have to match.
    assert set(published.matching("fab lab catania").values_list("pk", flat=True)) == {together.pk}


def shape(plan: str) -> list[str]:
    """A query plan's nodes and the indexes they read, without costs or conditions."""
    return re.findall(r"(?:->\s+)?([A-Z][A-Za-z ]+?(?: on \w+)?)\s+\(cost", plan)


def test_the_folded_query_is_planned_as_the_plain_one(db):
    """The alternatives ("fablab" or "fab <-> lab") change no query plan: on a directory of
    thousands both read the same index. (On the 100,000 profiles of the benchmark data, both
    are a bitmap scan of org_pub_search.)"""
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Organisation {number}",
            slug=f"organisation-{number}",
            status=Status.PUBLISHED,
            published_at=timezone.now(),
            search_title=f"organisation {number} workshop",
            search_body="a place for people of the neighbourhood to meet and make things",
        )
        for number in range(5000)
    )
    OrganisationFactory(name="Fab Lab Barcelona")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_organisation")
    folded = Organisation.objects.published().matching("fablab").order_by()
    plain = Organisation.objects.published().filter(
        search_vector=SearchQuery("fablab:*", search_type="raw", config="simple")
    )
    assert shape(folded.explain()) == shape(plain.order_by().explain())
    assert shape(folded.explain())
    assert folded.count() == 1


# --- Map grid cells ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "latitude", "longitude", "cells"),
    [
        # As OpenStreetMap numbers its tiles (tile.openstreetmap.org/<z>/<x>/<y>.png).
        ("Berlin", 52.52, 13.405, ["cell:3:4:2", "cell:5:17:10", "cell:7:68:41"]),
        ("Lisbon", 38.7223, -9.1393, ["cell:3:3:3", "cell:5:15:12", "cell:7:60:49"]),
        ("Sydney", -33.8688, 151.2093, ["cell:3:7:4", "cell:5:29:19", "cell:7:117:76"]),
        # The corners of the world stay on the grid: the pole falls in the top row.
        ("North Pole", 90.0, 180.0, ["cell:3:7:0", "cell:5:31:0", "cell:7:127:0"]),
        ("South-west", -90.0, -180.0, ["cell:3:0:7", "cell:5:0:31", "cell:7:0:127"]),
    ],
)
def test_grid_keys_are_web_mercator_tiles(place, latitude, longitude, cells):
    assert grid_keys(latitude, longitude) == cells


def test_no_grid_keys_without_both_coordinates():
    assert grid_keys(None, None) == []
    assert grid_keys(52.52, None) == []
    assert grid_keys(None, 13.405) == []


def test_profiles_with_coordinates_have_grid_keys_and_others_none(db):
    berlin = OrganisationFactory(name="In Berlin", latitude=52.52, longitude=13.405)
    nowhere = OrganisationFactory(name="Nowhere", latitude=None, longitude=None)
    assert {"cell:3:4:2", "cell:5:17:10", "cell:7:68:41"} <= set(berlin.facet_keys)
    assert not [key for key in nowhere.facet_keys if key.startswith("cell:")]
