"""What the API shows of a published profile: what a visitor sees on its page, no more.

No e-mail addresses, spam scores, moderation notes or who created a profile. Every item carries
its public page (`url`), its own API address (`api_url`) and the licence of its text.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import LicenceSerializer
from core.api.serializers import VocabularyDetailSerializer
from core.api.serializers import VocabularySerializer
from core.api.serializers import WebAddressField
from core.api.serializers import api_url
from core.api.serializers import file_url
from core.models import LICENCE_URLS
from directory.models import Country
from directory.models import DSIFocus
from directory.models import Organisation
from directory.models import OrganisationSize
from directory.models import OrganisationType
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.models import SocialArea
from directory.models import Technology
from directory.search import countries_inferred


class CountrySerializer(VocabularySerializer):
    code = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2")


class CountryDetailSerializer(CountrySerializer, VocabularyDetailSerializer):
    pass


class TagSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class LinkedProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=ProjectOrganisation.Role.choices, read_only=True)
    url = serializers.URLField(read_only=True)
    api_url = serializers.URLField(read_only=True)


class ProfileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The profile's public page.")
    api_url = serializers.SerializerMethodField(help_text="This item in the API.")
    description = serializers.CharField(read_only=True, help_text="Sanitised HTML.")
    website = WebAddressField(allow_blank=True)
    links = serializers.ListField(child=WebAddressField(), read_only=True)
    logo = serializers.SerializerMethodField()
    header_image = serializers.SerializerMethodField()
    network_tags = TagSerializer(many=True, read_only=True)
    tags = TagSerializer(many=True, read_only=True)
    licence = serializers.SerializerMethodField()
    legacy_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Its id on digitalsocial.eu (2016-2019)."
    )
    created = serializers.DateTimeField(
        source="created_at",
        read_only=True,
        allow_null=True,
        help_text="When the profile was created: on the hub, or on digitalsocial.eu for one "
        "imported from it (null when the 2017 export did not know).",
    )
    updated = serializers.DateTimeField(source="updated_at", read_only=True)
    published = serializers.DateTimeField(
        source="published_at", read_only=True, help_text="When it was published on the hub."
    )

    common_fields = [
        "id",
        "slug",
        "name",
        "url",
        "api_url",
        "website",
        "short_description",
        "description",
        "city",
        "latitude",
        "longitude",
        "links",
        "logo",
        "header_image",
        "tags",
        "network_tags",
        "licence",
        "legacy_id",
        "created",
        "updated",
        "published",
    ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, profile) -> str:
        return profile.get_permanent_url()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, profile) -> str:
        return api_url(profile._meta.model_name, profile.slug)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_logo(self, profile):
        return file_url(profile.logo)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_header_image(self, profile):
        return file_url(profile.header_image)

    @extend_schema_field(LicenceSerializer)
    def get_licence(self, profile) -> dict:
        return {
            "code": profile.licence,
            "name": profile.get_licence_display(),
            "url": LICENCE_URLS.get(profile.licence, ""),
        }


def named_organisation(organisation, name: str, **details) -> dict | None:
    """An organisation an item names (an event's organiser, a funder): the one in the directory
    (linked while it is published), or the name given, with the item's `details` of it; None
    when neither is given."""
    if organisation is not None:
        name = organisation.name
    if not name:
        return None
    linked = organisation is not None and organisation.is_published
    return {
        "name": name,
        **details,
        "url": organisation.get_permanent_url() if linked else None,
        "api_url": api_url("organisation", organisation.slug) if linked else None,
    }


@extend_schema_field(LinkedProfileSerializer(many=True))
class LinkedProfilesField(serializers.Field):
    """The published profiles of the `other` kind a profile is linked to, with their role, from
    its links to them as the viewset prefetches them (`published_<other>_links`), in order."""

    def __init__(self, other: str, **kwargs):
        self.other = other
        super().__init__(source=f"published_{other}_links", read_only=True, **kwargs)

    def to_representation(self, links) -> list[dict]:
        linked = []
        for link in links:
            profile = getattr(link, self.other)
            linked.append(
                {
                    "id": profile.pk,
                    "slug": profile.slug,
                    "name": profile.name,
                    "role": link.role,
                    "url": profile.get_permanent_url(),
                    "api_url": api_url(self.other, profile.slug),
                }
            )
        return linked


class OrganisationSerializer(ProfileSerializer):
    country = CountrySerializer(read_only=True, allow_null=True)
    organisation_type = VocabularySerializer(read_only=True, allow_null=True)
    organisation_size = VocabularySerializer(read_only=True, allow_null=True)
    projects = LinkedProfilesField("project", help_text="Published projects it is behind.")

    class Meta:
        model = Organisation
        fields = [
            *ProfileSerializer.common_fields,
            "country",
            "address",
            "organisation_type",
            "organisation_size",
            "start_date",
            "projects",
        ]


class ProjectSerializer(ProfileSerializer):
    countries = CountrySerializer(many=True, read_only=True)
    social_areas = VocabularySerializer(many=True, read_only=True)
    technologies = VocabularySerializer(many=True, read_only=True)
    focus = VocabularySerializer(many=True, read_only=True)
    who_we_help = TagSerializer(many=True, read_only=True)
    organisations = LinkedProfilesField(
        "organisation", help_text="Published organisations behind it: the lead, then partners."
    )
    countries_inferred = serializers.SerializerMethodField(
        help_text="When it names no country of its own (`countries` is empty): the countries "
        "of its published organisations, under which the `country` filter finds it. Empty "
        "when it names countries of its own."
    )

    class Meta:
        model = Project
        fields = [
            *ProfileSerializer.common_fields,
            "social_impact",
            "live",
            "start_date",
            "end_date",
            "countries",
            "countries_inferred",
            "social_areas",
            "technologies",
            "focus",
            "who_we_help",
            "organisations",
        ]

    @extend_schema_field(CountrySerializer(many=True))
    def get_countries_inferred(self, project) -> list:
        return [
            {"slug": term.slug, "name": term.name, "code": term.code}
            for term in countries_inferred(project)
        ]


VOCABULARY_MODELS = {
    "countries": Country,
    "social-areas": SocialArea,
    "technologies": Technology,
    "dsi-focus": DSIFocus,
    "organisation-types": OrganisationType,
    "organisation-sizes": OrganisationSize,
}
