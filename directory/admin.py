from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from directory.models import (
    Country,
    DSIFocus,
    Organisation,
    OrganisationSize,
    OrganisationType,
    Project,
    SocialArea,
    Technology,
)


class VocabularyAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(VocabularyAdmin):
    list_display = ["name", "code", "slug", "order"]
    search_fields = ["name", "code", "slug"]


@admin.register(SocialArea, Technology)
class AliasedVocabularyAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "order", "aliases"]


admin.site.register([OrganisationType, OrganisationSize, DSIFocus], VocabularyAdmin)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city", "status", "published_at"]
    list_filter = ["status", "organisation_type"]
    list_select_related = ["country"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "status", "published_at"]
    list_filter = ["status", "social_areas"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["countries", "social_areas", "technologies", "focus"]
