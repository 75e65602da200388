"""Stories: urls_pages (being built)."""

urlpatterns = []
