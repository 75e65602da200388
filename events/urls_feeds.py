"""Events: urls_feeds (being built)."""

urlpatterns = []
