"""The open-data API, version 1: /api/v1/ (its root lists the endpoints), gathered from the
routes each app registers (core.api.routes), with the OpenAPI schema and the docs page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from core.api.routes import api_routes
from core.api.schema import DocsView

app_name = "api"

router = DefaultRouter()
for route in api_routes():
    router.register(route.prefix, route.viewset, basename=route.basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
