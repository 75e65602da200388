from urllib.parse import parse_qsl
from urllib.parse import urlsplit

import pytest

from bench.distinct import KINDS
from bench.distinct import distinct_run
from bench.distinct import url_sources
from directory.demo import directory_seed_demo
from directory.models import Organisation
from directory.models import Project

MODELS = {"organisations": Organisation, "projects": Project}


@pytest.fixture
def seeded(django_db_serialized_rollback, transactional_db):
    # Transactional (the live server reads what the test wrote); the vocabularies of the data
    # migrations are put back after each test.
    directory_seed_demo(organisations=40, projects=40, seed=7)


def test_urls_are_new_drawn_from_the_data_and_within_the_last_page(seeded):
    sources = url_sources(seed=3)
    for kind in KINDS:
        source = sources[kind]
        urls = [source() for _ in range(60)]
        assert None not in urls and len(set(urls)) == 60
        assert all(urlsplit(url).path == f"/en/{kind}/" for url in urls)
        assert len(source.pages) == 60  # one (page, last page) for each URL drawn
        assert all(page <= min(10, last) for page, last in source.pages)
        assert any(page > 1 for page, _ in source.pages)  # not only first pages
        params = [dict(parse_qsl(urlsplit(url).query)) for url in urls]
        assert any("q" in p for p in params) and any(len(p) > 2 for p in params)
        # Two values of one filter, some of the time ("Spain or Portugal").
        pairs = [parse_qsl(urlsplit(url).query) for url in urls]
        assert any(len(pair) > len(dict(pair)) for pair in pairs)
        # The counts behind the last page are those of the database.
        published = MODELS[kind].objects.published()
        assert len(source.index.keys) > 2
        for keys in [sorted(source.index.keys)[:1], sorted(source.index.keys)[-2:], []]:
            assert source.index.count(keys) == published.filter(facet_keys__contains=keys).count()


def test_a_short_run_asks_each_url_once(seeded, live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    source = url_sources(seed=4)["projects"]
    result = distinct_run(port, source, clients=2, requests=12)
    assert result["requests"] == 12 == len(source.seen)
    assert result["statuses"] == {"200": 12} and result["not_found_share"] == 0.0
    assert sum(result["pages"].values()) == 12
    # Each page states the facet index's own time (Server-Timing), which the run reports.
    assert result["facets"]["requests"] == 12
