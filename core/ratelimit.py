"""Fixed-window rate limits kept in Redis (the default cache), for forms that create things,
and the client's address that every rate limit of the hub counts by (ours, the API's throttle,
allauth's log-in and sign-up limits).

They fail safe: while Redis cannot be reached (core.cache), counting an attempt raises
CacheUnavailable, which core.outages answers with the 503 page ("try again in a minute"), so an
outage neither opens the gates to creations nor tells people they sent too much. A limit on
reading (`allow_when_unavailable=True`) lets attempts through instead.
"""

import contextlib
import hashlib
import ipaddress

from django.conf import settings

from core.cache import CacheUnavailable
from core.cache import strict_cache


def client_ip(request) -> str:
    """The client's address, as the hub's own proxies saw it.

    With no proxy in front (`TRUSTED_PROXY_COUNT` 0, the default), the socket's peer
    (REMOTE_ADDR), whatever the headers say. Behind N trusted proxies, each appending to
    X-Forwarded-For the address it received from, the N-th address from the right: the one the
    outermost trusted proxy saw. What is further left the client wrote itself, and is ignored;
    a request with fewer addresses (it bypassed the proxies) or a garbled one counts by its peer.
    An IPv6 address counts as its /64 network, which one machine usually holds whole (as
    allauth counts it), so that hopping between its addresses resets no limit.
    """
    peer = request.META.get("REMOTE_ADDR", "") or "unknown"
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= count:
            return _counted(forwarded[-count].strip()) or _counted(peer) or peer
    return _counted(peer) or peer


def _counted(address: str) -> str:
    """The address as limits count it (an IPv6 one as its /64 network); empty if garbled."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if parsed.version == 6:
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def _key(action: str, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"ratelimit:{action}:{digest}"


def rate_limit_count(*, action: str, key: str, period: int) -> int:
    """Count one attempt; how many there have been in this window of `period` seconds. Raises
    CacheUnavailable while the counters cannot be reached."""
    cache = strict_cache()
    cache_key = _key(action, key)
    if cache.add(cache_key, 1, timeout=period):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period)
        return 1


def rate_limit_hit(
    *, action: str, key: str, limit: int, period: int, allow_when_unavailable: bool = False
) -> bool:
    """Count one attempt; True while within `limit` attempts per `period` seconds. Raises
    CacheUnavailable while the counters cannot be reached, unless `allow_when_unavailable`."""
    try:
        return rate_limit_count(action=action, key=key, period=period) <= limit
    except CacheUnavailable:
        if allow_when_unavailable:
            return True
        raise


def rate_limit_exceeded(*, action: str, key: str, limit: int) -> bool:
    """Whether the limit is already used up, without counting an attempt. Raises
    CacheUnavailable while the counters cannot be reached."""
    return (strict_cache().get(_key(action, key)) or 0) >= limit


def rate_limit_clear(*, action: str, key: str) -> None:
    """Forget the attempts counted so far (e.g. once the person has proved who they are); while
    the counters cannot be reached there is nothing to forget that could be read."""
    with contextlib.suppress(CacheUnavailable):
        strict_cache().delete(_key(action, key))


def posted_form_status(request, form, *, action: str, limit: int, period: int, refused) -> int:
    """The status of a public form's page after a POST, counted per client address: 429 with
    `refused` as the form's error once the address has posted `limit` times in `period`
    seconds, 400 when the form is not valid, 200 when it is (the caller acts on it, unless it
    is a bot's, and redirects)."""
    if not rate_limit_hit(action=action, key=client_ip(request), limit=limit, period=period):
        form.add_error(None, refused)
        return 429
    return 200 if form.is_valid() else 400
