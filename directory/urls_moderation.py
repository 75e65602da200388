"""Directory URLs (moderation)."""

urlpatterns = []
