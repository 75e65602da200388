"""Stories: urls_clusters (being built)."""

urlpatterns = []
