"""Fixed-window rate limits kept in Redis (the default cache), for forms that create things."""

import hashlib

from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address. Behind a proxy, set it up to pass REMOTE_ADDR (not a header)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(action: str, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"ratelimit:{action}:{digest}"


def rate_limit_hit(*, action: str, key: str, limit: int, period: int) -> bool:
    """Count one attempt; True while within `limit` attempts per `period` seconds."""
    cache_key = _key(action, key)
    if cache.add(cache_key, 1, timeout=period):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period)
        return True
    return count <= limit


def rate_limit_exceeded(*, action: str, key: str, limit: int) -> bool:
    """Whether the limit is already used up, without counting an attempt."""
    return (cache.get(_key(action, key)) or 0) >= limit
