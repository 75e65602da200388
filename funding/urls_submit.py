"""Practitioners' pages for funding opportunities: add, edit, preview, submit, and "mine".

Included first by funding/urls.py, so that "new/" and "mine/" win over an opportunity's
"<slug>/" (both are reserved slugs: funding.services.RESERVED_SLUGS).
"""

from django.urls import path

from funding import views_submit

urlpatterns = [
    path("new/", views_submit.opportunity_create, name="opportunity_create"),
    path("mine/", views_submit.opportunity_mine, name="opportunity_mine"),
    path("<slug:slug>/edit/", views_submit.opportunity_edit, name="opportunity_edit"),
    path("<slug:slug>/preview/", views_submit.opportunity_preview, name="opportunity_preview"),
    path("<slug:slug>/submit/", views_submit.opportunity_submit, name="opportunity_submit"),
]
