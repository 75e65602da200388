"""The Redis cache that an outage empties instead of failing (core.cache), the rate limits that
refuse meanwhile (core.ratelimit), and what the page cache may store (core.page_cache)."""

import time

import pytest
import redis
from django.core.cache import cache
from django.core.cache import caches
from django.test import Client

from core import page_cache
from core.cache import CacheUnavailable
from core.cache import cache_available
from core.cache import strict_cache
from core.ratelimit import rate_limit_exceeded
from core.ratelimit import rate_limit_hit
from core.tests.outages import cache_on_throwaway_redis
from core.versions import ContentVersion
from directory.tests.factories import OrganisationFactory


@pytest.fixture
def server(settings):
    """The default cache on a redis-server of the test's own, with a breaker of one second."""
    started = cache_on_throwaway_redis(settings)
    yield started
    started.kill()


@pytest.mark.outage
def test_with_redis_gone_the_cache_forgets_at_once_and_raises_nothing(server):
    cache.set("kept", 1)
    assert cache.get("kept") == 1
    server.kill()
    assert cache.get("kept") is None
    assert cache.get("kept", "default") == "default"
    assert cache.get_many(["kept", "other"]) == {}
    assert cache.set("kept", 2) is None and cache.get("kept") is None
    assert cache.add("lock", 1) is True  # added, and gone
    assert cache.get_or_set("made", lambda: "fresh") == "fresh"
    assert cache.delete("kept") is False and cache.has_key("kept") is False
    with pytest.raises(ValueError):
        cache.incr("counter")


@pytest.mark.outage
def test_after_a_failure_redis_is_skipped_for_a_while_then_tried_again(server):
    client = redis.Redis.from_url(server.url)
    server.kill()
    for _ in range(200):
        cache.get("anything")
    assert not cache_available()
    server.start()
    cache.set("back", 1)
    assert client.get(cache.make_key("back")) is None  # still skipped
    time.sleep(1.1)
    cache.set("back", 1)
    assert cache.get("back") == 1 and cache_available()
    client.close()


@pytest.mark.outage
def test_a_silent_redis_is_tried_once_not_per_call(settings):
    """A server that accepts connections and never answers (a hung Redis): one connection times
    out, then the breaker skips it, so the listener's queue holds a single connection."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"},
    }
    try:
        for _ in range(20):
            assert cache.get("x") is None
        listener.setblocking(False)
        tried = []
        while True:
            try:
                tried.append(listener.accept()[0])
            except BlockingIOError:
                break
        assert len(tried) == 1
        for connection in tried:
            connection.close()
    finally:
        listener.close()


@pytest.mark.outage
def test_strict_calls_raise_while_redis_is_away(server):
    server.kill()
    with pytest.raises(CacheUnavailable):
        strict_cache().get("x")
    with pytest.raises(CacheUnavailable):  # and while the breaker is open
        strict_cache().add("x", 1)
    assert caches["default"].get("x") is None


@pytest.mark.outage
def test_rate_limits_refuse_creations_and_let_reads_through_while_redis_is_away(server):
    assert rate_limit_hit(action="create", key="a", limit=5, period=60)
    server.kill()
    with pytest.raises(CacheUnavailable):  # answered with the 503 page (core.outages)
        rate_limit_hit(action="create", key="a", limit=5, period=60)
    with pytest.raises(CacheUnavailable):
        rate_limit_exceeded(action="create", key="a", limit=5)
    assert rate_limit_hit(action="lookup", key="a", limit=5, period=60, allow_when_unavailable=True)


@pytest.mark.outage
def test_versions_move_past_an_outage_once_redis_is_back(server):
    version = ContentVersion("test:version")
    before = version.current()
    server.kill()
    version.bump()  # lost: Redis is away
    server.start()  # empty, as after a restart; or with the old number: both must move on
    redis.Redis.from_url(server.url).set(cache.make_key(version.key), before)
    time.sleep(1.1)
    assert cache.get("anything") is None  # the first call that reaches Redis again
    assert version.current() > before


@pytest.mark.outage
def test_a_process_that_lost_a_bump_to_a_hung_redis_moves_versions_on_by_itself(server):
    """Redis hangs (keeping its data) while content changes; the process asks it nothing more,
    as a task or a command would not: its own watch moves the versions on once Redis answers."""
    client = redis.Redis.from_url(server.url)
    version = ContentVersion("test:version")
    before = version.current()
    client.client_pause(1500)
    version.bump()  # times out: lost
    assert int(client.get(cache.make_key(version.key))) == before  # answered after the pause
    deadline = time.monotonic() + 10
    while int(client.get(cache.make_key(version.key))) == before:
        assert time.monotonic() < deadline, "the version never moved on"
        time.sleep(0.1)
    client.close()


# --- What the page cache stores -------------------------------------------------------------------


def page_keys(pattern: str = "page:*") -> list[bytes]:
    return cache._cache.get_client().keys(cache.make_key(pattern))


def test_a_list_keeps_a_bounded_number_of_query_pages(db, monkeypatch):
    monkeypatch.setattr(page_cache, "QUERY_VARIANTS_PER_PERIOD", 3)
    OrganisationFactory(name="Open Repair Lab")
    client = Client()
    for number in range(8):
        assert client.get(f"/en/organisations/?q=repair{number}").status_code == 200
    assert len(page_keys()) == 3
    # The list's body, kept for people logged in too, as few times.
    assert len(page_keys("directory:list-page:*")) == 3
    client.get("/en/organisations/")  # the page without a query is always kept
    assert len(page_keys()) == 4
    assert len(page_keys("directory:list-page:*")) == 4
    for number in range(8):  # those kept are served from the cache
        assert client.get(f"/en/organisations/?q=repair{number}").status_code == 200
    assert len(page_keys()) == 4


def test_a_full_period_is_remembered_by_the_process_for_a_while(db, monkeypatch):
    """Once a view's variants are full, new queries do not ask Redis again for a while (a round
    trip less each), then ask again and find the new period."""
    monkeypatch.setattr(page_cache, "QUERY_VARIANTS_PER_PERIOD", 2)
    monkeypatch.setattr(page_cache, "FULL_RECHECK_SECONDS", 0.5)
    client = Client()
    for number in range(3):
        client.get(f"/en/organisations/?q=repair{number}")
    assert len(page_keys()) == 2
    cache._cache.get_client().delete(*page_keys("variants:*"))  # the period ends
    client.get("/en/organisations/?q=repair3")
    assert len(page_keys()) == 2  # the process still takes the period for full
    time.sleep(0.6)
    client.get("/en/organisations/?q=repair4")
    assert len(page_keys()) == 3  # asked again: a new period


def test_an_api_list_keeps_a_bounded_number_of_queries(db, monkeypatch):
    monkeypatch.setattr(page_cache, "QUERY_VARIANTS_PER_PERIOD", 2)
    client = Client()
    for number in range(5):
        assert client.get(f"/api/v1/events/?search=x{number}").status_code == 200
    keys = cache._cache.get_client().keys(cache.make_key("events:api:list:*"))
    assert len(keys) == 2


def test_pages_are_stored_compressed(db):
    OrganisationFactory(name="Open Repair Lab")
    response = Client().get("/en/organisations/")
    (key,) = page_keys()
    stored = cache._cache.get_client().strlen(key)
    assert stored * 2 < len(response.content)
    (key,) = page_keys("directory:list-page:*")
    assert cache._cache.get_client().strlen(key) * 2 < len(response.content)
    assert Client().get("/en/organisations/").content == response.content
