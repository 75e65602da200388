"""The open-data API, version 1: /api/v1/ (its root lists the endpoints): the directory, its
vocabularies, events, funding opportunities and stories."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from directory.api import views
from directory.api.serializers import VOCABULARY_MODELS
from events.api.views import EventViewSet
from funding.api.views import FundingViewSet
from stories.api.views import StoryViewSet

app_name = "api"

router = DefaultRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("events", EventViewSet, basename="event")
router.register("funding", FundingViewSet, basename="opportunity")
router.register("stories", StoryViewSet, basename="story")
for basename in VOCABULARY_MODELS:
    router.register(basename, views.vocabulary_viewset(basename), basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
