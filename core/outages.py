"""What a visitor gets while a service the hub needs is down: a 503 page saying to come back,
with Retry-After, never a 500.

Postgres unreachable raises OperationalError (or InterfaceError on a connection that died);
pages that need no query (those in the page cache, core.page_cache) are served meanwhile.
`OutageMiddleware` answers for errors raised in a view or its template; the configuration's
500 handler asks `is_outage` for those raised elsewhere (a session saved by its middleware).
Redis being away raises nothing (core.cache), but for counters asked for strictly.
"""

import logging

from django.db import InterfaceError
from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.api.errors import api_error
from core.cache import CacheUnavailable

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (OperationalError, InterfaceError, CacheUnavailable)
# The 503's words for API clients (the page says as much, at more length).
UNAVAILABLE_DETAIL = gettext_noop(
    "Part of the hub is not answering right now. Nothing you saved is lost. Please try again "
    "in a minute."
)
# Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def unavailable_response(request=None) -> HttpResponse:
    """The 503 page, in the request's language, rendered without a request or a query (JSON
    under /api/, as the API's other errors)."""
    response = (request is not None and api_error(request, 503, _(UNAVAILABLE_DETAIL))) or (
        HttpResponse(render_to_string("503.html"), status=503)
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class OutageMiddleware:
    """Turns a database (or strictly needed Redis) outage met by a view into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        logger.warning("%s answered 503: %r", request.path, exception)
        return unavailable_response(request)
