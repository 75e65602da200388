"""Stories, clusters and resources, under /<language>/stories/."""

from django.urls import include, path

app_name = "stories"

urlpatterns = [
    path("", include("stories.urls_clusters")),
    path("", include("stories.urls_pages")),
]
