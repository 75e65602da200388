"""What every app's API documents alike: its error answers, the language header, and the
browsable docs page."""

from django.utils.translation import gettext_lazy as _
from django.views import View
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework import serializers

ERRORS = {
    400: OpenApiResponse(
        {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"country": ["Select a valid choice. atlantis is not one of them."]},
        },
        description=_("Invalid parameters: a list of messages per parameter."),
    ),
    404: OpenApiResponse(
        inline_serializer("NotFound", {"detail": serializers.CharField()}),
        description=_("No such item, or no such page."),
    ),
    429: OpenApiResponse(
        inline_serializer("Throttled", {"detail": serializers.CharField()}),
        description=_("Too many requests: wait the number of seconds in Retry-After."),
    ),
}


PROFILE_PARAMETERS = [
    OpenApiParameter(
        "Accept-Language",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description=_("Language of vocabulary names: en, de, fr, it, es or ca."),
        required=False,
    )
]


class DocsView(SpectacularSwaggerView):
    """The browsable docs. OPTIONS answers as any Django view does (the methods, no body): DRF's
    answer, its metadata, would go through the page's HTML renderer, which cannot render it."""

    def options(self, request, *args, **kwargs):
        return View.options(self, request, *args, **kwargs)
