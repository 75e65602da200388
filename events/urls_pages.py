"""Events' public pages: the list, the month calendar and an event's page."""

from django.urls import path

from events import views

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("calendar/", views.event_calendar, name="event_calendar"),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
]
