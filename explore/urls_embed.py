"""Embeds (core.embeds) under /embed/<lang>/, each at its page's own path."""

from django.urls import path

from core.embeds import embeddable
from explore import embeds
from explore import map_views
from explore import network_views
from explore import stats_views

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
    # The Explore views themselves, laid out as embeds (base_template).
    path("explore/", embeddable(stats_views.overview), name="statistics"),
    path("explore/countries/<str:code>/", embeddable(stats_views.country), name="country"),
    path("explore/map/", embeddable(map_views.map_page), name="map"),
    path("explore/network/", embeddable(network_views.network_page), name="network"),
]
