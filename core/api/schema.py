"""What every app's API documents alike: its error answers, the language header, the parameters
several lists share, the list and item operations, and the browsable docs page."""

from django.utils.translation import gettext_lazy as _
from django.views import View
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_view
from drf_spectacular.utils import inline_serializer
from drf_spectacular.views import SpectacularSwaggerSplitView
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
    414: OpenApiResponse(
        inline_serializer("UriTooLong", {"detail": serializers.CharField()}),
        description=_(
            "The address (path and query string) is longer than the hub answers: 4,000 "
            "characters by default."
        ),
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

# A month, as the lists' month filters take it (YYYY-MM, the years core.filters shows).
MONTH_SCHEMA = {
    "type": "string",
    "pattern": "^(19[7-9][0-9]|20[0-9][0-9]|2100)-(0[1-9]|1[0-2])$",
}

AREA_PARAMETER = OpenApiParameter(
    "area",
    OpenApiTypes.STR,
    description=_(
        "An area of social impact, by its slug (see /api/v1/social-areas/), e.g. health-and-care."
    ),
)


def search_parameter(description) -> OpenApiParameter:
    """`?search=`, described with what a kind's search looks in."""
    return OpenApiParameter("search", OpenApiTypes.STR, description=description)


def list_and_item_schema(
    serializer,
    *,
    list_summary,
    item_summary,
    list_description=None,
    item_description=None,
    list_parameters=PROFILE_PARAMETERS,
):
    """The schema of a read-only viewset: a page of items (`list`, with the errors a list may
    answer) and one item by its slug (`retrieve`), both named in the language asked for."""
    return extend_schema_view(
        list=extend_schema(
            summary=list_summary,
            description=list_description,
            responses={200: serializer(many=True), **ERRORS},
            parameters=list_parameters,
        ),
        retrieve=extend_schema(
            summary=item_summary,
            description=item_description,
            responses={200: serializer, **{status: ERRORS[status] for status in (404, 414, 429)}},
            parameters=PROFILE_PARAMETERS,
        ),
    )


class DocsView(SpectacularSwaggerSplitView):
    """The browsable docs, in a page of ours (api/docs.html: the page's language, colours that
    meet WCAG AA, the plain schema linked for those without JavaScript). Swagger UI is started
    by a script of its own (`?script`), not one inline, as the Content-Security-Policy allows
    none. OPTIONS answers as any Django view does (the methods, no body): DRF's answer, its
    metadata, would go through the page's HTML renderer, which cannot render it."""

    template_name = "api/docs.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if "settings" in response.data:
            # Deep links put a link inside each operation's toggle button, which screen
            # readers and keyboards cannot tell apart (axe: nested-interactive).
            response.data["settings"] = self._dump(
                {**spectacular_settings.SWAGGER_UI_SETTINGS, "deepLinking": False}
            )
        return response

    def options(self, request, *args, **kwargs):
        return View.options(self, request, *args, **kwargs)
