"""Funding: urls_pages (being built)."""

urlpatterns = []
