"""What the API shows of a published event: what a visitor sees on its page, no more.

No one's e-mail, no moderation state or notes, no spam signals, not who submitted it. Every item
carries its public page (`url`), its own API address (`api_url`), its iCalendar file (`ics_url`)
and the licence of its text.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import LicenceSerializer, VocabularySerializer, api_url
from core.exports import LICENCE_NAMES
from core.html import sanitize_html
from core.models import LICENCE_URLS, absolute_url, default_licence
from directory.api.serializers import CountrySerializer, TagSerializer
from events.models import Attendance, Event

NEXT_OCCURRENCES = 10


def _in_default_language(name: str, slug: str) -> str:
    """One absolute address whatever the language asked for, like directory profiles' `url`."""
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(reverse(name, kwargs={"slug": slug}))


class OccurrenceSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)


class OrganiserSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    url = serializers.URLField(
        read_only=True, allow_null=True, help_text="Its page, when it is in the directory."
    )
    api_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="It in the API, when it is in the directory."
    )


class EventSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The event's public page.")
    api_url = serializers.SerializerMethodField(help_text="This item in the API.")
    ics_url = serializers.SerializerMethodField(help_text="The event as an iCalendar file.")
    description = serializers.SerializerMethodField(help_text="Sanitised HTML.")
    starts_at = serializers.DateTimeField(
        read_only=True, help_text="When it starts; for a series, its first time."
    )
    ends_at = serializers.DateTimeField(
        read_only=True, help_text="When it ends; for a series, its first time."
    )
    time_zone = serializers.CharField(
        read_only=True, help_text="The IANA time zone its times are given in, e.g. Europe/Madrid."
    )
    recurrence = serializers.CharField(
        read_only=True,
        help_text="An iCalendar (RFC 5545) recurrence rule from its first start; empty: once.",
    )
    next_occurrences = OccurrenceSerializer(
        many=True,
        read_only=True,
        help_text=f"Its next {NEXT_OCCURRENCES} times that are not over yet, soonest first.",
    )
    attendance = serializers.ChoiceField(choices=Attendance.choices, read_only=True)
    link = serializers.SerializerMethodField(help_text="Where to learn more or register.")
    country = CountrySerializer(read_only=True, allow_null=True)
    organiser = serializers.SerializerMethodField()
    social_areas = VocabularySerializer(many=True, read_only=True)
    tags = TagSerializer(many=True, read_only=True)
    licence = serializers.SerializerMethodField()
    published = serializers.DateTimeField(source="published_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "title",
            "url",
            "api_url",
            "short_description",
            "description",
            "starts_at",
            "ends_at",
            "time_zone",
            "recurrence",
            "next_occurrences",
            "attendance",
            "venue",
            "address",
            "city",
            "country",
            "latitude",
            "longitude",
            "link",
            "is_free",
            "price_note",
            "organiser",
            "social_areas",
            "tags",
            "licence",
            "published",
            "updated",
            "ics_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, event) -> str:
        return _in_default_language("events:event_detail", event.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, event) -> str:
        return api_url("event", event.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_ics_url(self, event) -> str:
        return _in_default_language("events:event_ics", event.slug)

    def get_description(self, event) -> str:
        """Cleaned again, as on the event's page: rows saved before every path cleaned it may
        hold any HTML."""
        return sanitize_html(event.description)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_link(self, event) -> str | None:
        return event.link or None

    @extend_schema_field(OrganiserSerializer(allow_null=True))
    def get_organiser(self, event) -> dict | None:
        """The organisation in the directory (linked while it is published), or the name given."""
        organisation = event.organiser
        if organisation is None:
            return (
                {"name": event.organiser_name, "url": None, "api_url": None}
                if (event.organiser_name)
                else None
            )
        linked = organisation.is_published
        return {
            "name": organisation.name,
            "url": organisation.get_permanent_url() if linked else None,
            "api_url": api_url("organisation", organisation.slug) if linked else None,
        }

    @extend_schema_field(LicenceSerializer)
    def get_licence(self, event) -> dict:
        """Events carry no licence of their own: their text is under the site's."""
        code = default_licence()
        return {
            "code": code,
            "name": LICENCE_NAMES.get(code, code),
            "url": LICENCE_URLS.get(code, ""),
        }
