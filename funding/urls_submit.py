"""Funding: urls_submit (being built)."""

urlpatterns = []
