"""Feeds of the directory (language-prefixed)."""

app_name = "feeds"

urlpatterns = []
