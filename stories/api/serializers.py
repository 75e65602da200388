"""What the API shows of a published story: what a visitor sees on its page, no more.

No status, no scheduling, no author's account (only the name the story shows), no search text.
For a case study, its project and organisations in the directory are given while they are
published, as on its page: a profile that is not published is neither named nor linked. Every
item carries its public page (`url`), its own API address (`api_url`) and the licence of its
text.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import SanitisedHtmlField
from core.api.serializers import SiteContentSerializer
from core.api.serializers import VocabularySerializer
from core.api.serializers import api_url
from core.api.serializers import file_url
from stories.models import Kind
from stories.models import Story


class StoryProfileSerializer(serializers.Serializer):
    """A published organisation or project of the directory a case study is about."""

    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="Its page.")
    api_url = serializers.URLField(read_only=True, help_text="It in the API.")


def _profile(profile) -> dict:
    return {
        "id": profile.pk,
        "slug": profile.slug,
        "name": profile.name,
        "url": profile.get_permanent_url(),
        "api_url": api_url(profile.kind, profile.slug),
    }


class StorySerializer(SiteContentSerializer):
    url = serializers.SerializerMethodField(help_text="The story's public page.")
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    body = SanitisedHtmlField()
    author = serializers.SerializerMethodField(
        help_text="Who wrote it, as the story shows it; empty if it names no one."
    )
    featured_image = serializers.SerializerMethodField(help_text="Its image, if it has one.")
    featured_image_alt = serializers.CharField(
        read_only=True, help_text="What the image shows, for people who cannot see it."
    )
    categories = VocabularySerializer(many=True, read_only=True)
    social_areas = VocabularySerializer(many=True, read_only=True)
    project = serializers.SerializerMethodField(
        help_text="For a case study, the project it is about, while it is published."
    )
    organisations = serializers.SerializerMethodField(
        help_text="For a case study, the organisations it is about that are published."
    )
    published = serializers.DateTimeField(
        source="publish_at", read_only=True, help_text="When it was published on the hub."
    )

    class Meta:
        model = Story
        fields = [
            "id",
            "slug",
            "kind",
            "title",
            "url",
            "api_url",
            "summary",
            "body",
            "author",
            "featured_image",
            "featured_image_alt",
            "categories",
            "social_areas",
            "project",
            "organisations",
            "licence",
            "published",
            "updated",
        ]
        read_only_fields = fields

    def get_author(self, story) -> str:
        """The story's byline (Story.byline), from the author's name read with the row rather
        than the author's whole account."""
        return story.author_name or story.author_account_name or ""

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_featured_image(self, story) -> str | None:
        return file_url(story.featured_image)

    @extend_schema_field(StoryProfileSerializer(allow_null=True))
    def get_project(self, story) -> dict | None:
        project = story.project if story.kind == Kind.CASE_STUDY else None
        return _profile(project) if project is not None and project.is_published else None

    @extend_schema_field(StoryProfileSerializer(many=True))
    def get_organisations(self, story) -> list:
        if story.kind != Kind.CASE_STUDY:
            return []
        return [_profile(organisation) for organisation in story.published_organisations]
