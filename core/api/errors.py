"""Errors under /api/ answered as the API answers its own: JSON with a `detail`, as DRF's views
do, also where no DRF view is reached (an unknown route, a slug the route does not take, a URL
too long). The site's error handlers (dsi_hub.views) ask `api_error` first."""

from django.http import JsonResponse
from django.utils.translation import gettext
from rest_framework.exceptions import APIException
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ParseError
from rest_framework.exceptions import PermissionDenied

API_PREFIX = "/api/"

# DRF's own messages (translated by DRF) for the answers it gives in its views.
DETAILS = {
    400: ParseError.default_detail,
    403: PermissionDenied.default_detail,
    404: NotFound.default_detail,
    500: APIException.default_detail,
}


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(request, status: int, detail=None) -> JsonResponse | None:
    """The JSON answer `status` for a request under /api/ (DRF's message for it unless
    `detail` is given), or None for any other request (a page answers it)."""
    if not is_api_request(request):
        return None
    return JsonResponse({"detail": str(detail or DETAILS[status])}, status=status)


def uri_too_long_detail(max_length: int) -> str:
    return gettext(
        "The address is too long: please use at most %(max)s characters (fewer filters, or "
        "shorter values)."
    ) % {"max": max_length}
