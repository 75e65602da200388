"""Years of the profiles as bitmaps (explore.stats_years): after a change, a worker answers
with its previous years while a thread reads the new ones, and a page made meanwhile is not
cached."""

import datetime as dt
import threading
import time

import pytest
from django.core.cache import cache

from core.facets.index import every_index_reset
from directory.facets import FACET_INDEXES
from directory.models import Organisation
from directory.tests.factories import OrganisationFactory
from explore.stats_years import current_year_bitmaps
from explore.stats_years import years_forget

# Committed rows, which the reading thread sees (the vocabularies kept for the next tests).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _in_the_background(settings):
    settings.FACET_INDEX_BACKGROUND = True
    years_forget()
    every_index_reset()
    yield
    _wait_for_readers()
    years_forget()
    every_index_reset()


def _wait_for_readers() -> None:
    deadline = time.monotonic() + 15
    while any(thread.name.startswith("years-") for thread in threading.enumerate()):
        assert time.monotonic() < deadline, "the years were not read"
        time.sleep(0.02)


def _founded(bitmaps) -> dict[int, set]:
    return {year: set(ids) for year, ids in bitmaps["founded"].items()}


def test_a_worker_answers_with_its_years_while_it_reads_the_new_ones():
    old = OrganisationFactory(start_date=dt.date(2001, 5, 5))
    bitmaps, current = current_year_bitmaps(Organisation, version=1)
    assert current and _founded(bitmaps) == {2001: {old.pk}}  # none held: read at once

    new = OrganisationFactory(start_date=dt.date(1999, 5, 5))
    bitmaps, current = current_year_bitmaps(Organisation, version=2)
    assert not current and _founded(bitmaps) == {2001: {old.pk}}  # the previous ones, at once
    _wait_for_readers()
    bitmaps, current = current_year_bitmaps(Organisation, version=2)
    assert current and _founded(bitmaps) == {1999: {new.pk}, 2001: {old.pk}}


def test_a_statistics_page_made_from_earlier_years_is_not_cached(client):
    OrganisationFactory(start_date=dt.date(2001, 5, 5))
    redis = cache._cache.get_client()
    query = {"q": "organisation", "kind": "organisations"}

    def kept() -> int:
        return len(redis.keys(cache.make_key("explore:overview:*")))

    assert client.get("/en/explore/", query).status_code == 200  # the index builds meanwhile
    deadline = time.monotonic() + 15
    while FACET_INDEXES["organisation"].state is None:
        assert time.monotonic() < deadline, "the index was not built"
        time.sleep(0.02)
    current_year_bitmaps(Organisation, version=0)  # this worker holds years of another version
    cache.clear()  # a new content version, and no page kept
    assert client.get("/en/explore/", query).status_code == 200
    assert kept() == 0
    _wait_for_readers()
    assert client.get("/en/explore/", query).status_code == 200
    assert kept() == 1
