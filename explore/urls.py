"""The Explore section's pages, under /<lang>/explore/ (each part's own module adds its own)."""

from django.urls import path

from explore import stats_views

app_name = "explore"
urlpatterns = [
    # Statistics (explore.stats_views)
    path("", stats_views.overview, name="overview"),
    path("countries/<str:code>/", stats_views.country, name="country"),
]
