"""Stories, clusters and resources, under /<language>/stories/. Fixed paths come before a
story's "<slug>/"."""

from django.urls import path

from stories import views
from stories.feeds import StoryFeed

app_name = "stories"

urlpatterns = [
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster_detail"),
    path("resources/", views.resource_list, name="resource_list"),
    path("", views.story_list, name="story_list"),
    path("feed.atom", StoryFeed(), name="story_feed"),
    path("<slug:slug>/", views.story_detail, name="story_detail"),
]
