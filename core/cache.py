"""The hub's Redis cache, which an outage of Redis turns into an empty cache instead of errors.

Redis holds copies (pages, counts, versions) and counters (rate limits), never the truth: with
Redis unreachable every page is made again from Postgres. Each call waits a fraction of a second
at most (short socket time-outs, no retries), and after a failure a circuit breaker skips Redis
altogether for REDIS_RETRY_SECONDS, so that requests do not each wait for it; the next call after
that tries it again.

While Redis is away the cache behaves as one that forgets at once: reads miss, writes and adds
succeed and are gone, counters have no value, deletes find nothing. What must not work so, rate
limits (core.ratelimit), asks `strict_cache()`, whose calls raise CacheUnavailable instead.
Code that needs to put something right once Redis is back (a version that could not move on while
it was away) registers a callback with `on_recovery`; a process that found Redis away probes it
in a thread of its own until it answers, and then calls them.
"""

import copy
import logging
import threading
import time

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Errors that mean "Redis cannot be used now": unreachable, too slow, answering garbage (a
# proxy in front of a dead server), out of memory under `noeviction`, or a replica that has not
# yet taken over.
OUTAGE_ERRORS = (
    redis.ConnectionError,
    redis.TimeoutError,
    redis.exceptions.InvalidResponse,
    redis.exceptions.OutOfMemoryError,
    redis.exceptions.ReadOnlyError,
)


# How long a process that found Redis away watches for its return (Breaker._watch): the longest
# a versioned entry is kept (core.text_index), after which nothing stale is left to serve.
RECOVERY_WATCH_SECONDS = 60 * 60


class CacheUnavailable(Exception):
    """Redis cannot be reached now (see `strict_cache`)."""


class Breaker:
    """A circuit breaker for one server: open (skipped) for `seconds` after a failure."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.open_until = 0.0
        self.tripped = False  # failed since the last success: recovery callbacks are due
        self.watching = False
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, error: Exception, location: str, *, probe=None) -> None:
        """Open the breaker; with `probe` (a call that raises one of OUTAGE_ERRORS while the
        server is away), also watch for the server's return (`_watch`)."""
        with self.lock:
            if not self.is_open():
                logger.warning(
                    "Redis at %s failed (%r): skipped for %s s", location, error, self.seconds
                )
            self.open_until = time.monotonic() + self.seconds
            self.tripped = True
            if probe is not None and not self.watching:
                self.watching = True
                threading.Thread(
                    target=self._watch, args=(probe,), name="redis-recovery", daemon=True
                ).start()

    def _watch(self, probe) -> None:
        """Probe the server every `seconds` until it answers, then run the recovery callbacks:
        so a process that changed content while Redis was away (a task, a command, a quiet web
        worker) moves the versions on as soon as Redis is back, whether or not it asks Redis
        anything more (a bump lost while Redis was hung would otherwise leave its pages stale)."""
        given_up = time.monotonic() + RECOVERY_WATCH_SECONDS
        try:
            while self.tripped and time.monotonic() < given_up:
                time.sleep(self.seconds)
                try:
                    probe()
                except OUTAGE_ERRORS:
                    continue
                if self.succeeded():
                    _run_recovery_callbacks()
        finally:
            self.watching = False

    def succeeded(self) -> bool:
        """Record a success; True for the first one after a failure."""
        if not self.tripped:
            return False
        with self.lock:
            recovered, self.tripped = self.tripped, False
        return recovered


# One breaker per server address, shared by the threads of a process (each thread has its own
# cache object).
_breakers: dict[str, Breaker] = {}


def breaker_for(location: str, *, seconds: float) -> Breaker:
    """The breaker of the server at `location` (a cache's, or Celery's broker)."""
    return _breakers.setdefault(location, Breaker(seconds))


_recovery_callbacks: list = []


def on_recovery(callback) -> None:
    """Call `callback()` when Redis answers again after this process found it unavailable."""
    if callback not in _recovery_callbacks:
        _recovery_callbacks.append(callback)


def _run_recovery_callbacks() -> None:
    for callback in _recovery_callbacks:
        try:
            callback()
        except Exception:  # one failing must not keep the others from running
            logger.exception("Redis recovery callback %r failed", callback)


class _OneClientPerPool(RedisCacheClient):
    """Django's client of the cache, keeping one redis-py client per connection pool rather than
    making one per call: a client's set-up (its table of response callbacks) takes about as
    long as a GET, and a list page makes half a dozen calls. A client is safe to share between
    threads; each call takes a connection from the pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache with short time-outs, no retries and a circuit breaker.

    OPTIONS: `retry_seconds` (how long the breaker stays open, REDIS_RETRY_SECONDS by default)
    and anything redis-py's connection pool takes (`socket_timeout`, `socket_connect_timeout`:
    0.5 s by default)."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = options.pop("retry_seconds", None)
        if retry_seconds is None:
            retry_seconds = getattr(settings, "REDIS_RETRY_SECONDS", 5)
        options.setdefault("socket_timeout", 0.5)
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = _OneClientPerPool
        self._location = ",".join(self._servers)
        self._breaker = breaker_for(self._location, seconds=float(retry_seconds))
        self._strict = False

    def available(self) -> bool:
        """Whether Redis is worth asking now (the breaker is closed)."""
        return not self._breaker.is_open()

    def strict_copy(self) -> "ResilientRedisCache":
        clone = copy.copy(self)
        clone.__dict__["_cache"] = self._cache  # the same connection pools
        clone._strict = True
        return clone

    def _call(self, method: str, degraded, *args, **kwargs):
        if self._breaker.is_open():
            return self._degraded(degraded, CacheUnavailable(f"Redis at {self._location}"))
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            self._breaker.trip(error, self._location, probe=self._probe)
            return self._degraded(degraded, error)
        if self._breaker.succeeded():
            _run_recovery_callbacks()
        return result

    def _probe(self) -> None:
        """One round trip past the breaker (raises while Redis is away)."""
        super().has_key("ping")

    def _degraded(self, degraded, error: Exception):
        if self._strict:
            raise CacheUnavailable(str(error)) from error
        if isinstance(degraded, BaseException):
            raise degraded
        return degraded

    def add(self, key, value, *args, **kwargs):
        return self._call("add", True, key, value, *args, **kwargs)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, *args, **kwargs):
        return self._call("set", None, key, value, *args, **kwargs)

    def touch(self, key, *args, **kwargs):
        return self._call("touch", False, key, *args, **kwargs)

    def delete(self, key, *args, **kwargs):
        return self._call("delete", False, key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        return self._call("get_many", {}, keys, *args, **kwargs)

    def has_key(self, key, *args, **kwargs):
        return self._call("has_key", False, key, *args, **kwargs)

    def incr(self, key, delta=1, version=None):
        missing = ValueError(f"Key '{key}' not found (Redis unavailable).")
        return self._call("incr", missing, key, delta, version)

    def set_many(self, data, *args, **kwargs):
        return self._call("set_many", [], data, *args, **kwargs)

    def delete_many(self, keys, *args, **kwargs):
        return self._call("delete_many", None, keys, *args, **kwargs)

    def clear(self):
        return self._call("clear", False)


def strict_cache(alias: str = "default"):
    """The cache `alias`, with calls that raise CacheUnavailable while Redis cannot be used (for
    counters that must not pass for empty, see core.ratelimit). Other backends as they are."""
    cache = caches[alias]
    if isinstance(cache, ResilientRedisCache):
        return cache.strict_copy()
    return cache


def cache_available(alias: str = "default") -> bool:
    """Whether the cache `alias` can be used now: its breaker is closed and Redis answers."""
    try:
        strict_cache(alias).has_key("ping")
    except CacheUnavailable:
        return False
    return True
