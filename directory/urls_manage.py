"""Directory URLs (manage)."""

urlpatterns = []
