"""Stories' public pages: the list, the Atom feed and a story's page."""

from django.urls import path

from stories import views
from stories.feeds import StoryFeed

urlpatterns = [
    path("", views.story_list, name="story_list"),
    path("feed.atom", StoryFeed(), name="story_feed"),
    path("<slug:slug>/", views.story_detail, name="story_detail"),
]
