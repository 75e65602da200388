"""Serializer pieces every app's API uses: absolute links, vocabulary terms and licences."""

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from core.models import absolute_url


def api_url(kind: str, slug: str) -> str:
    return settings.SITE_URL + reverse(f"api:{kind}-detail", kwargs={"slug": slug})


def file_url(field) -> str | None:
    return absolute_url(field.url) if field else None


class VocabularySerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class VocabularyDetailSerializer(VocabularySerializer):
    description = serializers.CharField(read_only=True)


class LicenceSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="SPDX identifier")
    name = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True)
