"""Practitioners' pages for events: add, edit, preview, submit, and "my events".

Included first by events/urls.py, so that "new/" and "mine/" win over an event's "<slug>/"
(both are reserved slugs: events.services.RESERVED_SLUGS).
"""

from django.urls import path

from events import views_submit

urlpatterns = [
    path("new/", views_submit.event_create, name="event_create"),
    path("mine/", views_submit.event_mine, name="event_mine"),
    path("<slug:slug>/edit/", views_submit.event_edit, name="event_edit"),
    path("<slug:slug>/preview/", views_submit.event_preview, name="event_preview"),
    path("<slug:slug>/submit/", views_submit.event_submit, name="event_submit"),
]
