"""Funding opportunities' pages, feed and forms, under /<language>/funding/.

Fixed paths ("new", "mine", "feed.atom") come before an opportunity's "<slug>/": they are
reserved slugs (funding.services.RESERVED_SLUGS).
"""

from django.urls import path

from funding import views
from funding.feeds import OpportunityFeed

app_name = "funding"

urlpatterns = [
    # Practitioners' pages: add, "mine", edit, preview, submit.
    *views.pages.urlpatterns(),
    # For feed readers.
    path("feed.atom", OpportunityFeed(), name="opportunity_feed"),
    # Public pages.
    path("", views.opportunity_list, name="opportunity_list"),
    path("<slug:slug>/", views.opportunity_detail, name="opportunity_detail"),
]
