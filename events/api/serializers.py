"""What the API shows of a published event: what a visitor sees on its page, no more.

No one's e-mail, no moderation state or notes, no spam signals, not who submitted it. Every item
carries its public page (`url`), its own API address (`api_url`), its iCalendar file (`ics_url`)
and the licence of its text.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import SUBMISSION_FIELDS
from core.api.serializers import SanitisedHtmlField
from core.api.serializers import SiteContentSerializer
from core.api.serializers import VocabularySerializer
from core.api.serializers import directory_links
from core.api.serializers import page_url
from core.fields import web_address
from directory.api.serializers import CountrySerializer
from directory.api.serializers import TagSerializer
from directory.api.serializers import named_organisation
from events.models import Attendance
from events.models import Event

NEXT_OCCURRENCES = 10


class OccurrenceSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)


class OrganiserSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    url, api_url = directory_links()


class EventSerializer(SiteContentSerializer):
    url = serializers.SerializerMethodField(help_text="The event's public page.")
    ics_url = serializers.SerializerMethodField(help_text="The event as an iCalendar file.")
    description = SanitisedHtmlField()
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

    class Meta:
        model = Event
        fields = [
            *SUBMISSION_FIELDS,
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
    def get_ics_url(self, event) -> str:
        return page_url("events:event_ics", event.slug)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_link(self, event) -> str | None:
        return web_address(event.link) or None

    @extend_schema_field(OrganiserSerializer(allow_null=True))
    def get_organiser(self, event) -> dict | None:
        return named_organisation(event.organiser, event.organiser_name)
