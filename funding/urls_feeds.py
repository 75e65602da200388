"""Funding: urls_feeds (being built)."""

urlpatterns = []
