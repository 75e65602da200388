"""The address the hub's absolute links are built on (emails, the API's and downloads' `url`
fields, feeds, the sitemap).

In production `settings.SITE_URL` is required (the settings refuse to start without it) and is
always used, whatever host a request came in on. In development it may be left unset: links then
name the host that served the current request (recorded by `RequestHostMiddleware`), so a hub
reached at http://192.168.1.5:8101 sends mail that links there; outside a request (a Celery task
on its own, a management command) they fall back to DEVELOPMENT_SITE_URL.

Mail queued from a request is rendered while the request is known (core.mail stores the
finished message), so its links name the request's host even though a worker delivers it.
"""

from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost

DEVELOPMENT_SITE_URL = "http://localhost:8000"

_request_base: ContextVar[str | None] = ContextVar("request_base_url", default=None)


def site_url() -> str:
    """The scheme and host of the hub's links, without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    return _request_base.get() or DEVELOPMENT_SITE_URL


def request_base_url(request) -> str:
    """A request's scheme and host (validated against ALLOWED_HOSTS by get_host())."""
    return f"{request.scheme}://{request.get_host()}"


def _within(base: str, content) -> Iterator:
    """A streamed body made with `base` known: a download's rows are built while the server
    sends them, after the view (and this middleware) have returned."""
    token = _request_base.set(base)
    try:
        yield from content
    finally:
        _request_base.reset(token)


class RequestHostMiddleware:
    """Records the current request's scheme and host for site_url(), for as long as the request
    (and a streamed response's body) is being made. Only matters when SITE_URL is unset."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SITE_URL:
            return self.get_response(request)
        try:
            base = request_base_url(request)
        except DisallowedHost:  # CommonMiddleware answers 400
            return self.get_response(request)
        token = _request_base.set(base)
        try:
            response = self.get_response(request)
        finally:
            _request_base.reset(token)
        # A kept file (FileResponse) is sent as it is: nothing is built while it streams.
        if getattr(response, "streaming", False) and not hasattr(response, "file_to_stream"):
            response.streaming_content = _within(base, response.streaming_content)
        return response
