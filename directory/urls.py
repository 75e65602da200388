"""The directory's pages. Fixed paths ("new", "lookup") come before the slug patterns."""

from django.urls import path

from directory import urls_manage, urls_members, urls_moderation
from directory.views import browse

app_name = "directory"

urlpatterns = [
    *urls_manage.urlpatterns,
    *urls_members.urlpatterns,
    *urls_moderation.urlpatterns,
    path("organisations/", browse.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", browse.organisation_detail, name="organisation_detail"),
    path("projects/", browse.project_list, name="project_list"),
    path("projects/<slug:slug>/", browse.project_detail, name="project_detail"),
]
