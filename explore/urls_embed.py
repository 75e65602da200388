"""Embeds (core.embeds) under /embed/<lang>/, each at its page's own path."""

from django.urls import path

from explore import embeds

app_name = "embed"
urlpatterns = [
    path("organisations/", embeds.list_embed, {"kind": "organisations"}, name="organisations"),
    path("projects/", embeds.list_embed, {"kind": "projects"}, name="projects"),
    path(
        "organisations/<slug:slug>/",
        embeds.card_embed,
        {"kind": "organisations"},
        name="organisation",
    ),
    path("projects/<slug:slug>/", embeds.card_embed, {"kind": "projects"}, name="project"),
]
