"""Events: urls_submit (being built)."""

urlpatterns = []
