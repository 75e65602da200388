"""The clusters and resources, under /<language>/stories/. Fixed paths come before any slug
pattern of urls_pages."""

from django.urls import path

from stories import views_clusters as views

urlpatterns = [
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster_detail"),
    path("resources/", views.resource_list, name="resource_list"),
]
