"""Whole pages cached for visitors who are not logged in.

Most visits are anonymous, and an anonymous page depends only on its address and language: no
form on it carries a CSRF token (the language switch is a set of links) and nothing on it names
the visitor. Such a page is rendered once per address and content version and then served from
Redis, version and page read in one round trip, without rendering the layout again.

A request is served from this cache only when it brings no session and no messages (someone
logged in, or with a message waiting, gets their own page), and a page is stored only when
rendering it left nothing personal behind: no cookie set, no CSRF token used, nothing written
to the session, no message added.
"""

import functools
import hashlib
import time
import zlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from core.outages import OUTAGE_ERRORS
from core.release import release_id

PAGE_CACHE_SECONDS = 10 * 60
# Pages of the same view for other query strings (filters, searches, page numbers) are
# stored at most this many per cache period: each distinct query a crawler or a fuzzer makes up
# would otherwise take a place in Redis (see variant_admitted). The page without a query string
# is always stored.
QUERY_VARIANTS_PER_PERIOD = 200
# A view whose period is full is not asked about again in a process for this long.
FULL_RECHECK_SECONDS = 10
_full_until: dict[str, float] = {}
# A page kept to show while it cannot be made (last_good_copy): its last rendering for visitors
# is kept this long, and written again at most every LAST_GOOD_REFRESH_SECONDS.
LAST_GOOD_SECONDS = 24 * 60 * 60
LAST_GOOD_REFRESH_SECONDS = 60
# Where django.contrib.messages keeps messages for visitors without a session.
MESSAGES_COOKIE = "messages"


def is_plain_visit(request, params: frozenset[str]) -> bool:
    """A GET or HEAD from someone with no session and no messages waiting, asking with no
    query parameters but `params` (others, made up or tracking ones, are not worth a place in
    the cache, and could fill it)."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and params.issuperset(request.GET)
    )


def left_nothing_personal(request, response) -> bool:
    """Whether a rendered response is the same for every anonymous visitor of its address."""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not getattr(messages, "added_new", False)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def page_key(request) -> str:
    """One key per release, language, scheme, host, path and query string, the latter as its
    bytes came (two spellings that decode alike are two pages: each was rendered from its own)."""
    address = "\n".join(
        [
            request.scheme,
            request.get_host(),
            request.path,
            request.META.get("QUERY_STRING", ""),
        ]
    )
    digest = hashlib.sha1(address.encode(), usedforsecurity=False)
    return f"page:{release_id()}:{get_language()}:{digest.hexdigest()}"


def variant_admitted(name: str, *, timeout: int) -> bool:
    """Count one more cached copy of `name` (a view, an API list) for a query string; False
    once QUERY_VARIANTS_PER_PERIOD were stored in the `timeout` seconds since the first. (While
    Redis is away the answer does not matter: nothing is stored.) Once a period is full, the
    process stops asking for FULL_RECHECK_SECONDS: a round trip less on each new query."""
    if _full_until.get(name, 0.0) > time.monotonic():
        return False
    key = f"variants:{name}"
    try:
        admitted = cache.incr(key) <= QUERY_VARIANTS_PER_PERIOD  # one round trip, mostly
    except ValueError:  # the first of a period (or Redis away: add() then stores nothing)
        admitted = cache.add(key, 1, timeout=timeout) or _counted(key)
    if not admitted:
        _full_until[name] = time.monotonic() + FULL_RECHECK_SECONDS
    return admitted


def forget_full_periods() -> None:
    """Ask Redis again for every view (tests: each starts with an empty cache)."""
    _full_until.clear()


def _counted(key: str) -> bool:
    """Another process started the period just before: count in it."""
    try:
        return cache.incr(key) <= QUERY_VARIANTS_PER_PERIOD
    except ValueError:
        return False


def _entry(response) -> dict:
    """What is cached of a rendered page: its body, compressed (a list page is a sixth of its
    size so, for little work), and its headers."""
    return {
        "content": zlib.compress(response.content, 1),
        # A page served again took no time to make.
        "headers": [
            (header, value) for header, value in response.items() if header != "Server-Timing"
        ],
    }


def _response(entry: dict) -> HttpResponse:
    response = HttpResponse(zlib.decompress(entry["content"]))
    for header, value in entry["headers"]:
        response.headers[header] = value
    return response


def cache_for_visitors(cached, store, *, params=(), timeout: int = PAGE_CACHE_SECONDS):
    """Serve a view's pages to anonymous visitors from the cache, stamped with a content
    version: `cached(key) -> (version, entry or None)` reads the version and an entry of that
    version in one round trip, `store(key, entry, version=, timeout=)` writes one (see
    directory.services.profiles.directory_cached and directory_cache). Only addresses with no
    query parameters other than `params` are cached."""
    params = frozenset(params)

    def decorator(view):
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_plain_visit(request, params):
                return view(request, *args, **kwargs)
            key = page_key(request)
            version, entry = cached(key)
            if entry is not None:
                response = _response(entry)
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()  # a TemplateResponse: rendering may use a token
                if left_nothing_personal(request, response) and (
                    not request.GET or variant_admitted(name, timeout=timeout)
                ):
                    store(key, _entry(response), version=version, timeout=timeout)
            # The page differs for people who are logged in: shared caches must know.
            patch_vary_headers(response, ["Cookie"])
            return response

        return wrapped

    return decorator


_last_good_looked: dict[str, float] = {}


def _last_good_due(key: str) -> bool:
    """Whether this process should see about writing the copy of `key` again: at most once per
    LAST_GOOD_REFRESH_SECONDS, so that a busy page costs no round trip to Redis per visit."""
    now = time.monotonic()
    if now - _last_good_looked.get(key, -LAST_GOOD_REFRESH_SECONDS) < LAST_GOOD_REFRESH_SECONDS:
        return False
    _last_good_looked[key] = now
    return True


def forget_last_good_looks() -> None:
    """Look again at once (tests: each starts with an empty cache)."""
    _last_good_looked.clear()


def last_good_copy(view):
    """Keep the last rendering of a view's page for anonymous visitors (core.page_cache's plain
    visits, no query string), and serve it to them while the view cannot be made because the
    database is away (core.outages), rather than the 503 page: for the home page, whose parts
    are cached but which is rendered for each visit. Written at most once a minute per page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_plain_visit(request, frozenset()):
            return view(request, *args, **kwargs)
        key = f"lastgood:{page_key(request)}"
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # a lazy queryset meets the outage here
        except OUTAGE_ERRORS:
            entry = cache.get(key)
            if entry is None:
                raise
            response = _response(entry)
            # Not to be kept by browsers or proxies: the page is made afresh once it can be.
            add_never_cache_headers(response)
        else:
            if (
                _last_good_due(key)
                and left_nothing_personal(request, response)
                # Across processes too: the first to find the copy a minute old writes it.
                and cache.add(f"{key}:fresh", 1, timeout=LAST_GOOD_REFRESH_SECONDS)
            ):
                cache.set(key, _entry(response), timeout=LAST_GOOD_SECONDS)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped
