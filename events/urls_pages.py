"""Events: urls_pages (being built)."""

urlpatterns = []
