"""Funding opportunities' public pages: the list and an opportunity's page."""

from django.urls import path

from funding import views

urlpatterns = [
    path("", views.opportunity_list, name="opportunity_list"),
    path("<slug:slug>/", views.opportunity_detail, name="opportunity_detail"),
]
