"""Serializer pieces every app's API uses: absolute links, vocabulary terms and licences, and
what the items of content under the site's licence (events, funding, stories) show alike."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.exports import LICENCE_NAMES
from core.fields import web_address
from core.hosts import site_url
from core.html import sanitize_html
from core.models import LICENCE_URLS
from core.models import absolute_url
from core.models import default_licence


class WebAddressField(serializers.URLField):
    """A web address someone gave (a website, a link), always shown as an RFC 3986 URI, as
    the schema's `format: uri` promises: also one stored before every path made it one."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return web_address(super().to_representation(value))


def api_url(kind: str, slug: str) -> str:
    return site_url() + reverse(f"api:{kind}-detail", kwargs={"slug": slug})


def file_url(field) -> str | None:
    return absolute_url(field.url) if field else None


def directory_links() -> tuple[serializers.URLField, serializers.URLField]:
    """`url` and `api_url` of someone an item names who may be in the directory (an event's
    organiser, a funder): their page and their address in the API while they are published
    there, else null. Declared as `url, api_url = directory_links()`."""
    return (
        serializers.URLField(
            read_only=True, allow_null=True, help_text="Its page, when it is in the directory."
        ),
        serializers.URLField(
            read_only=True, allow_null=True, help_text="It in the API, when it is in the directory."
        ),
    )


def page_url(name: str, slug: str) -> str:
    """One absolute address whatever the language asked for, like directory profiles' `url`."""
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(reverse(name, kwargs={"slug": slug}))


class VocabularySerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class VocabularyDetailSerializer(VocabularySerializer):
    description = serializers.CharField(read_only=True)


class LicenceSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="SPDX identifier")
    name = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True)


@extend_schema_field({"type": "string", "description": "Sanitised HTML."})
class SanitisedHtmlField(serializers.CharField):
    """Rich text cleaned again, as on the item's page: an admin save, a revert or a row saved
    before every path cleaned it may have stored any HTML."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Sanitised HTML.")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return sanitize_html(value)


# The fields an item of a submitted kind (an event, a funding opportunity) begins with: what it
# is, where to find it, and what it says.
SUBMISSION_FIELDS = [
    "id",
    "slug",
    "title",
    "url",
    "api_url",
    "short_description",
    "description",
]


class SiteContentSerializer(serializers.ModelSerializer):
    # An item whose text carries no licence of its own but is under the site's (events,
    # funding, stories): its public page (`page_name`, the URL name of a page found by slug,
    # declared as `url` by the subclass with its own description), its address in the API
    # (`api_kind`, its route's basename), its licence, and when it was published and last
    # updated. No docstring: a serializer's is its description in the schema. Unless set,
    # `page_name` is "<app>:<model>_detail" and `api_kind` the model's name, as the apps name
    # their detail pages and API routes (core.kinds).

    page_name = ""
    api_kind = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        model = getattr(getattr(cls, "Meta", None), "model", None)
        if model is not None:
            opts = model._meta
            cls.page_name = cls.page_name or f"{opts.app_label}:{opts.model_name}_detail"
            cls.api_kind = cls.api_kind or opts.model_name

    api_url = serializers.SerializerMethodField(help_text="This item in the API.")
    licence = serializers.SerializerMethodField()
    published = serializers.DateTimeField(source="published_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, item) -> str:
        return page_url(self.page_name, item.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, item) -> str:
        return api_url(self.api_kind, item.slug)

    @extend_schema_field(LicenceSerializer)
    def get_licence(self, item) -> dict:
        code = default_licence()
        return {
            "code": code,
            "name": LICENCE_NAMES.get(code, code),
            "url": LICENCE_URLS.get(code, ""),
        }
