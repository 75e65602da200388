"""Fixed-window rate limits kept in Redis (the default cache), for forms that create things.

They fail safe: while Redis cannot be reached (core.cache), counting an attempt raises
CacheUnavailable, which core.outages answers with the 503 page ("try again in a minute"), so an
outage neither opens the gates to creations nor tells people they sent too much. A limit on
reading (`allow_when_unavailable=True`) lets attempts through instead.
"""

import hashlib

from core.cache import CacheUnavailable
from core.cache import strict_cache


def client_ip(request) -> str:
    """The client's address. Behind a proxy, set it up to pass REMOTE_ADDR (not a header)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(action: str, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"ratelimit:{action}:{digest}"


def rate_limit_hit(
    *, action: str, key: str, limit: int, period: int, allow_when_unavailable: bool = False
) -> bool:
    """Count one attempt; True while within `limit` attempts per `period` seconds. Raises
    CacheUnavailable while the counters cannot be reached, unless `allow_when_unavailable`."""
    cache = strict_cache()
    cache_key = _key(action, key)
    try:
        if cache.add(cache_key, 1, timeout=period):
            return True
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=period)
            return True
    except CacheUnavailable:
        if allow_when_unavailable:
            return True
        raise
    return count <= limit


def rate_limit_exceeded(*, action: str, key: str, limit: int) -> bool:
    """Whether the limit is already used up, without counting an attempt. Raises
    CacheUnavailable while the counters cannot be reached."""
    return (strict_cache().get(_key(action, key)) or 0) >= limit
