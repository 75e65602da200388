"""Funding opportunities' pages: the list (open now, opening later or closed) and an
opportunity's page, and practitioners' pages to add, edit, preview and submit one, and "mine".

Every state is in the query string and the pages work without JavaScript. Anonymous visitors
get whole pages from the cache (core.page_cache) under the opportunities' version; since
open and closed follow the calendar, the day is part of every key (see `for_visitors`): a page
made yesterday is never served today, so nothing that closed at midnight still shows as open.
The practitioners' pages are core.submission_views's, shared with events.
"""

import datetime as dt
import functools

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.detail_pages import detail_context
from core.detail_pages import published_or_404
from core.listing import FilteredListPage
from core.listing import query_link
from core.page_cache import cache_for_visitors
from core.submission_views import SubmissionViews
from funding import services
from funding.display import present
from funding.filters import CLOSED
from funding.filters import OPEN
from funding.filters import UPCOMING
from funding.filters import OpportunityFilterSet
from funding.forms import OpportunityCreateForm
from funding.forms import OpportunityForm
from funding.jsonld import opportunity_jsonld_script
from funding.models import Opportunity
from funding.services import opportunities_cache
from funding.services import opportunities_cached

PAGE_SIZE = 20
FILTER_PARAMS = ("q", "type", "target", "country", "closes", "amount", "area")
LIST_PARAMS = {*FILTER_PARAMS, "status", "page"}


def today() -> dt.date:
    """The day the pages are made for, in the site's time zone."""
    return timezone.localdate()


def page_day(request) -> dt.date:
    """The day this request's page is made for: the one its cache key was read under."""
    return getattr(request, "funding_day", None) or today()


def for_visitors(*, params=()):
    """core.page_cache.cache_for_visitors under the opportunities' version, with the day in
    every key. The day is read once per request and kept on it (`page_day`), so the page is
    made for the very day it is stored under, even across midnight."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            day = today()
            request.funding_day = day
            suffix = f":day:{day.isoformat()}"

            def cached(key):
                return opportunities_cached(key + suffix)

            def store(key, entry, *, version, timeout):
                return opportunities_cache(key + suffix, entry, version=version, timeout=timeout)

            cached_view = cache_for_visitors(cached, store, params=params)(view)
            return cached_view(request, *args, **kwargs)

        return wrapped

    return decorator


@require_safe
@for_visitors(params=LIST_PARAMS)
def opportunity_list(request):
    """Published opportunities open today, closing soonest first (rolling last); or those
    opening later (?status=upcoming) or closed (?status=closed, latest first); filtered,
    searched and in pages of PAGE_SIZE."""
    day = page_day(request)
    filterset = OpportunityFilterSet(
        request.GET, queryset=Opportunity.objects.published(), today=day
    )
    listing = FilteredListPage(
        request, filterset, page_size=PAGE_SIZE, params=LIST_PARAMS, filter_params=FILTER_PARAMS
    )
    rows = listing.rows(filterset.qs.with_cards().prefetch_related("countries"))
    opportunities = [present(row, day) for row in rows]

    filters = listing.filters
    list_url = request.path
    context = {
        **listing.list_context(),
        "opportunities": opportunities,
        "status": filterset.chosen_status,
        "today": day,
        "downloads": listing.download_links("funding"),
        "status_links": [
            (OPEN, _("Open now"), query_link(list_url, filters)),
            (UPCOMING, _("Opening later"), query_link(list_url, [*filters, ("status", UPCOMING)])),
            (CLOSED, _("Closed"), query_link(list_url, [*filters, ("status", CLOSED)])),
        ],
    }
    return TemplateResponse(
        request, "funding/opportunity_list.html", context, status=listing.status
    )


@require_safe
@for_visitors()
def opportunity_detail(request, slug):
    """A published opportunity: who offers it, to whom, how much, until when, and where to
    apply; open or closed as of today."""
    opportunity = published_or_404(Opportunity, slug)
    present(opportunity, page_day(request))
    context = detail_context(
        opportunity,
        profile_field="funder",
        list_url_name="funding:opportunity_list",
        jsonld=opportunity_jsonld_script(opportunity),
    )
    return TemplateResponse(request, "funding/opportunity_detail.html", context)


def preview_context(opportunity: Opportunity) -> dict:
    """What the preview shows: the opportunity with its dates and amounts in words, as its
    public page says them today."""
    return {"opportunity": present(opportunity, timezone.localdate())}


class OpportunitySubmissionViews(SubmissionViews):
    lifecycle = services.LIFECYCLE
    create_form = OpportunityCreateForm
    edit_form = OpportunityForm
    forbidden_message = gettext_lazy(
        "Only the person who submitted this funding opportunity can do that."
    )
    mine_related = ("funding_type", "funder")

    # The admin's preview shows the same.
    preview_context = staticmethod(preview_context)

    def mine_context(self) -> dict:
        # Which closing dates have passed.
        return {"today": timezone.localdate()}


pages = OpportunitySubmissionViews()
