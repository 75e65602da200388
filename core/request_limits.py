"""Request bodies (and URLs): refused with a 413 (414) when they are larger than the hub accepts.

Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk whatever
their size, so a 300 MB body was read in full before the form said no. The middleware refuses a
body announced larger than REQUEST_BODY_MAX_BYTES before a byte of it is read; the proxy in front
(client_max_body_size in the README's snippet) does the same one step earlier.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.api.errors import api_error
from core.api.errors import is_api_request
from core.api.errors import uri_too_long_detail
from core.files import file_size


def request_too_big(request):
    """The 413 answer, a page (or JSON for a client that asks for it): the limits to keep to."""
    message = _(
        "The hub accepts at most %(max_body)s in one go, and images of at most %(max_image)s "
        "each. Please make the files smaller, or send them one at a time, and try again."
    ) % {
        "max_body": file_size(settings.REQUEST_BODY_MAX_BYTES),
        "max_image": file_size(settings.IMAGE_UPLOAD_MAX_BYTES),
    }
    accept = request.headers.get("Accept", "")
    if is_api_request(request) or ("json" in accept and "html" not in accept):
        return JsonResponse({"detail": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


class RequestBodyLimitMiddleware:
    """Answer 413 to a request whose Content-Length is over REQUEST_BODY_MAX_BYTES, unread.

    A body without a Content-Length (chunked) reads as empty to Django, so it cannot be larger."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return request_too_big(request)
        return self.get_response(request)


class RequestUriLimitMiddleware:
    """Answer 414 to a request whose path and query string are longer than
    REQUEST_URI_MAX_LENGTH: JSON under /api/ (where the schema documents it), a page elsewhere.

    gunicorn refuses a request line over its `limit_request_line` (8190, its largest, as
    nginx's default buffers) with a bare page of its own; this limit is well below it, so what
    reaches the hub is answered the hub's way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.get_full_path()) > settings.REQUEST_URI_MAX_LENGTH:
            detail = uri_too_long_detail(settings.REQUEST_URI_MAX_LENGTH)
            return api_error(request, 414, detail) or render(request, "400.html", status=414)
        return self.get_response(request)
