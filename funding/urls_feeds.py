"""Funding opportunities for feed readers: an Atom feed of the newly published ones."""

from django.urls import path

from funding.feeds import OpportunityFeed

urlpatterns = [
    path("feed.atom", OpportunityFeed(), name="opportunity_feed"),
]
