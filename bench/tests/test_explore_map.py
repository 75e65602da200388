from urllib.parse import parse_qsl
from urllib.parse import urlsplit

import pytest

from bench.explore_map import URL
from bench.explore_map import MapUrls
from bench.explore_map import viewport
from directory.demo import directory_seed_demo


@pytest.fixture
def seeded(db):
    directory_seed_demo(organisations=40, projects=40, seed=7)


def test_a_viewport_is_what_a_map_shows_there():
    west, south, east, north = map(float, viewport(48.86, 2.35, 10).split(","))
    # 1280 px at zoom 10 are five tiles of 360/1024 degrees
    assert east - west == pytest.approx(5 * 360 / 1024, abs=1e-4)
    assert south < 48.86 < north and west < 2.35 < east
    assert viewport(0, 0, 0) == "-180.00000,-85.00000,180.00000,85.00000"


def test_urls_are_new_and_answered(seeded, client):
    urls = MapUrls(seed=3)
    drawn = [urls() for _ in range(40)]
    assert None not in drawn and len(set(drawn)) == 40
    assert all(urlsplit(url).path == URL for url in drawn)
    params = [dict(parse_qsl(urlsplit(url).query)) for url in drawn]
    assert len({p["zoom"] for p in params}) > 3 and any("q" in p for p in params)
    for url in drawn[:10]:
        assert client.get(url).status_code == 200, url
