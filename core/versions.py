"""Content versions: numbers that move on whenever a kind of published content changes.

Cached pages, counts and feeds of that content are stamped with the version they were made
under and read back together with the current version in one round trip to Redis: an entry of
an older version is never served, and nothing needs to be deleted when content changes.
"""

import time

from django.core.cache import cache
from django.db import transaction

from core.cache import on_recovery


def fresh_version() -> int:
    """A starting version above any earlier one: should Redis lose the key, entries stamped
    before are never taken for current (they were stamped with smaller numbers)."""
    return time.time_ns() // 1_000_000


_every_version: list["ContentVersion"] = []


class ContentVersion:
    """A kind of content's version. Content that shows another kind's (stories name the
    directory's projects and social areas) `follows` that kind's version: its cached entries
    are stamped with both, so a change to either makes them stale."""

    def __init__(self, key: str, *, follows: tuple["ContentVersion", ...] = ()):
        self.key = key
        self.follows = follows
        self._after_bump: list = []
        _every_version.append(self)

    def after_bump(self, callback) -> None:
        """Call `callback()` after each change the version moves on for (an app warms its
        caches so, from its AppConfig.ready(), without this module importing the app's tasks)."""
        if callback not in self._after_bump:
            self._after_bump.append(callback)

    def current(self) -> int:
        return cache.get_or_set(self.key, fresh_version, timeout=None)

    def cached(self, key: str) -> tuple[int | tuple[int, ...], dict | None]:
        """The version, and the entry cached under `key` if it was stamped with it (else None):
        both in one round trip, so a warm page runs no query. With versions followed, the
        version is a tuple: this kind's, then theirs."""
        version, (entry,) = self.cached_many([key])
        return version, entry

    def cached_many(self, keys: list[str]) -> tuple[int | tuple[int, ...], list[dict | None]]:
        """The version, and the entries cached under `keys` stamped with it (None for the others),
        all in one round trip."""
        versions = [self, *self.follows]
        found = cache.get_many([*(each.key for each in versions), *keys])
        numbers = tuple(found.get(each.key) or each.current() for each in versions)
        version = numbers if self.follows else numbers[0]
        entries = []
        for key in keys:
            entry = found.get(key)
            entries.append(entry if entry is not None and entry.get("version") == version else None)
        return version, entries

    def cache(self, key: str, entry: dict, *, version, timeout: int) -> dict:
        """Cache `entry` stamped with the version it was built under."""
        entry = {**entry, "version": version}
        cache.set(key, entry, timeout=timeout)
        return entry

    def bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:
            cache.set(self.key, fresh_version(), timeout=None)

    def _bump_after_change(self) -> None:
        self.bump()
        for callback in self._after_bump:
            callback()

    def changed(self) -> None:
        """Published content changed: what was cached is stale once this transaction commits."""
        transaction.on_commit(self._bump_after_change)


def versions_renewed() -> None:
    """Move every version past whatever was stamped while Redis was away (core.cache calls this
    when it answers again): a change made meanwhile could not move its version on, and entries
    cached before the outage must not pass for current."""
    for version in _every_version:
        cache.set(version.key, fresh_version(), timeout=None)


on_recovery(versions_renewed)
