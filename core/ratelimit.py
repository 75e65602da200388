"""Fixed-window rate limits kept in Redis (the default cache), for forms that create things.

They fail safe: while Redis cannot be reached (core.cache), an attempt counts as over the limit,
so that an outage does not open the gates to sign-ups and creations. A limit on reading
(`allow_when_unavailable=True`) lets attempts through instead.
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
    """Count one attempt; True while within `limit` attempts per `period` seconds (and, unless
    `allow_when_unavailable`, False while the counters cannot be reached)."""
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
        return allow_when_unavailable
    return count <= limit


def rate_limit_exceeded(*, action: str, key: str, limit: int) -> bool:
    """Whether the limit is already used up (or the counters cannot be reached), without
    counting an attempt."""
    try:
        return (strict_cache().get(_key(action, key)) or 0) >= limit
    except CacheUnavailable:
        return True
