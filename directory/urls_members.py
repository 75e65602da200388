"""Directory URLs (members)."""

urlpatterns = []
