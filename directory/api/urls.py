"""The open-data API, version 1."""

app_name = "api"

urlpatterns = []
