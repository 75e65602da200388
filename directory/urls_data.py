"""Bulk downloads of the published directory (not under a language prefix)."""

app_name = "data"

urlpatterns = []
