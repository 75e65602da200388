import sys

from django.contrib.postgres.search import SearchRank
from django.core.exceptions import RequestDataTooBig
from django.db.models import Case
from django.db.models import Count
from django.db.models import F
from django.db.models import IntegerField
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Subquery
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from core.api.errors import api_error
from core.forms import SearchForm
from core.outages import is_outage
from core.outages import unavailable_response
from core.release import release_id
from core.request_limits import request_too_big
from core.search import search_query
from directory.models import Organisation
from directory.models import Project
from dsi_hub.health import readiness
from dsi_hub.health import readiness_report
from dsi_hub.sections import home_profile_sections
from dsi_hub.sections import home_section
from dsi_hub.sections import search_sections
from events.models import Event
from events.models import EventOccurrence
from events.services import events_cache
from events.services import events_cached
from funding.display import present
from funding.models import Opportunity
from funding.services import opportunities_cache
from funding.services import opportunities_cached
from stories.models import Resource
from stories.models import Story
from stories.services import seconds_until
from stories.services import stories_cache
from stories.services import stories_cached

SEARCH_RESULTS_PER_KIND = 20
HOME_EVENTS_SHOWN = 4
# "Upcoming" moves with the clock, not only with the events' version: kept for minutes, as the
# events' own pages are (events.views.PAGE_CACHE_SECONDS).
HOME_EVENTS_SECONDS = 5 * 60
HOME_FUNDING_SHOWN = 4
# Open or closed moves with the day, which is in the key (home_funding): kept as long as the
# funding pages are (core.page_cache.PAGE_CACHE_SECONDS).
HOME_FUNDING_SECONDS = 10 * 60
ROLLING_ONLY_TITLE = _("Open funding opportunities")
HOME_CASE_STUDIES_SHOWN = 3
HOME_STORIES_SHOWN = 4
# Stories change when an admin saves one (which moves their version on) and when a scheduled one's
# moment comes (which ends the entry early, see home_stories): kept as long as the stories' own
# pages are (stories.views.PAGE_CACHE_SECONDS).
HOME_STORIES_SECONDS = 5 * 60


def _last_occurrence(field: str):
    return Subquery(
        EventOccurrence.objects.filter(event=OuterRef("pk"))
        .order_by("-starts_at")
        .values(field)[:1]
    )


def _count(rows: list, matching, *, shown: int) -> int:
    """How many match in all of a home page part whose first rows (`shown` at most) are `rows`:
    the rows' number unless they fill the list; then one query counts them."""
    return matching.count() if len(rows) == shown else len(rows)


def _rendered(section) -> str:
    return render_to_string("partials/results_section.html", {"section": section})


def home_events(now=None) -> dict:
    """The home page's events part: the number of upcoming published events and the next
    HOME_EVENTS_SHOWN of them by their next occurrence, rendered in the active language.

    Cached under the events' version, per release and language, for HOME_EVENTS_SECONDS: a warm
    home page makes no query for events. Cold, it makes two: the next events (with their next
    occurrence and country, in one query) and, only when they fill the list, their count.
    """
    key = f"home:events:{release_id()}:{get_language()}"
    version, entry = events_cached(key)
    if entry is not None:
        return entry
    now = now or timezone.now()
    upcoming = Event.objects.published().upcoming(now)
    events = list(Event.objects.published().next_up(now)[:HOME_EVENTS_SHOWN])
    count = _count(events, upcoming, shown=HOME_EVENTS_SHOWN)
    html = _rendered(home_section("events", events, count))
    entry = {"upcoming_event_count": count, "events_html": html}
    return events_cache(key, entry, version=version, timeout=HOME_EVENTS_SECONDS)


def home_funding(day=None) -> dict:
    """The home page's funding part: the number of published opportunities open today and the
    HOME_FUNDING_SHOWN of them closing soonest (rolling ones after those with a date), with
    "Closes in 3 days" while they close soon, rendered in the active language.

    Cached under the opportunities' version, per release, language and day (open or closed is
    worked out from today's date, so nothing that closed at midnight is served as open), for
    HOME_FUNDING_SECONDS: a warm home page makes no query for funding. Cold, it makes two: the
    opportunities (with their type and funder, in one query) and, only when they fill the list,
    their count.
    """
    day = day or timezone.localdate()
    key = f"home:funding:{release_id()}:{get_language()}:day:{day.isoformat()}"
    version, entry = opportunities_cached(key)
    if entry is not None:
        return entry
    open_now = Opportunity.objects.published().open_on(day)
    opportunities = [present(row, day) for row in open_now.closing_first()[:HOME_FUNDING_SHOWN]]
    count = _count(opportunities, open_now, shown=HOME_FUNDING_SHOWN)
    # Those with a closing date come first, rolling ones only fill the list: when the first is
    # rolling, nothing open closes at all, and the part is not called "closing soon".
    title = None
    if opportunities and opportunities[0].closes_on is None:
        title = ROLLING_ONLY_TITLE
    html = _rendered(home_section("funding", opportunities, count, title=title))
    entry = {"open_opportunity_count": count, "funding_html": html}
    return opportunities_cache(key, entry, version=version, timeout=HOME_FUNDING_SECONDS)


def home_stories(now=None) -> dict:
    """The home page's stories: the featured case studies (up to HOME_CASE_STUDIES_SHOWN, newest
    first; the newest case studies when none is featured) and the HOME_STORIES_SHOWN newest
    stories of any kind not already shown among them, rendered in the active language.

    Cached under the stories' version, per release and language. A scheduled story comes out at
    its moment, which no save marks (stories.models): so an entry is kept for
    HOME_STORIES_SECONDS at most, never past the moment the next scheduled story comes out, and
    an entry read after that moment is not served, whatever Redis still holds.
    A warm home page makes no query for stories. Cold, it makes three: the case studies, the
    latest stories, and when the next scheduled one comes out.
    """
    key = f"home:stories:{release_id()}:{get_language()}"
    version, entry = stories_cached(key)
    now = now or timezone.now()
    if entry is not None and (entry["until"] is None or now < entry["until"]):
        return entry
    published = Story.objects.published(now)
    # Featured ones first: when the first is not featured, none is, and the newest are shown.
    case_studies = list(
        published.case_studies().order_by("-is_featured", "-publish_at", "-pk")[
            :HOME_CASE_STUDIES_SHOWN
        ]
    )
    featured = bool(case_studies) and case_studies[0].is_featured
    if featured:
        case_studies = [story for story in case_studies if story.is_featured]
    latest = list(
        published.exclude(pk__in=[story.pk for story in case_studies]).newest()[:HOME_STORIES_SHOWN]
    )
    until = Story.objects.next_publish_at(now)
    html = render_to_string(
        "dsi_hub/home_stories.html",
        {"case_studies": case_studies, "featured": featured, "latest": latest},
    )
    entry = {"stories_html": html, "until": until}
    timeout = seconds_until(until, HOME_STORIES_SECONDS)
    if timeout <= 0:
        return entry
    return stories_cache(key, entry, version=version, timeout=timeout)


class HomeView(TemplateView):
    template_name = "dsi_hub/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisations = Organisation.objects.published()
        projects = Project.objects.published()
        latest_organisations = organisations.with_cards().newest()[:4]
        latest_projects = projects.with_cards().newest()[:4]
        events = home_events()
        funding = home_funding()
        stories = home_stories()
        context.update(
            organisation_count=organisations.count(),
            project_count=projects.count(),
            latest_organisations=latest_organisations,
            latest_projects=latest_projects,
            profile_sections=home_profile_sections(latest_organisations, latest_projects),
            upcoming_event_count=events["upcoming_event_count"],
            # Rendered from the events' own data (titles escaped) when it was cached.
            upcoming_events_html=mark_safe(events["events_html"]),  # noqa: S308
            open_opportunity_count=funding["open_opportunity_count"],
            # Likewise rendered from the opportunities' own data, escaped.
            funding_html=mark_safe(funding["funding_html"]),  # noqa: S308
            # Likewise rendered from the stories' own data, escaped.
            stories_html=mark_safe(stories["stories_html"]),  # noqa: S308
        )
        return context


def search_events(query: str, now=None) -> dict:
    """Published events matching `query`: how many (all, upcoming, past) and the first
    SEARCH_RESULTS_PER_KIND, upcoming before past and most relevant first, each with the
    occurrence it shows (the next one, or the last one of a past event). Two queries."""
    text_query = search_query(query)
    if text_query is None:
        return {"event_count": 0, "upcoming_event_count": 0, "past_event_count": 0, "events": []}
    now = now or timezone.now()
    matching = Event.objects.published().matching(query)
    counts = matching.aggregate(
        total=Count("pk"), upcoming=Count("pk", filter=Q(last_ends_at__gte=now))
    )
    events = list(
        matching.select_related("country")
        .annotate(
            is_past=Case(
                When(last_ends_at__gte=now, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            rank=SearchRank(F("search_vector"), text_query),
        )
        .with_next_occurrence(now)
        .annotate(
            # Shown: the next occurrence, or a past event's last one.
            shown_starts_at=Coalesce(F("next_starts_at"), _last_occurrence("starts_at")),
            shown_ends_at=Coalesce(F("next_ends_at"), _last_occurrence("ends_at")),
        )
        # Equally relevant: the sooner upcoming one, or the more recent past one, first.
        .order_by("is_past", "-rank", "next_starts_at", "-last_ends_at", "pk")[
            :SEARCH_RESULTS_PER_KIND
        ]
    )
    return {
        "event_count": counts["total"],
        "upcoming_event_count": counts["upcoming"],
        "past_event_count": counts["total"] - counts["upcoming"],
        "events": events,
    }


def search_funding(query: str, day=None) -> dict:
    """Published funding opportunities matching `query`: how many (all, open today, opening
    later, closed) and the first SEARCH_RESULTS_PER_KIND, those open or opening later before
    closed ones and most relevant first; equally relevant, the one closing soonest (rolling
    last), or the one closed most recently. Each with its `timing` on `day` (today). Two
    queries: the counts, and the list with each one's type and funder."""
    empty = {
        "opportunity_count": 0,
        "open_opportunity_count": 0,
        "upcoming_opportunity_count": 0,
        "closed_opportunity_count": 0,
        "opportunities": [],
    }
    text_query = search_query(query)
    if text_query is None:
        return empty
    day = day or timezone.localdate()
    matching = Opportunity.objects.published().matching(query)
    closed = Q(closes_on__lt=day)
    upcoming = Q(opens_on__gt=day) & ~closed
    counts = matching.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=closed),
        upcoming=Count("pk", filter=upcoming),
    )
    rows = (
        matching.select_related("funding_type", "funder")
        .annotate(
            is_closed=Case(
                When(closed, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
            rank=SearchRank(F("search_vector"), text_query),
            # Open or opening later: when it closes (rolling: none); closed ones: none.
            still_closes_on=Case(When(~closed, then=F("closes_on"))),
        )
        .order_by(
            "is_closed",
            "-rank",
            F("still_closes_on").asc(nulls_last=True),
            F("closes_on").desc(nulls_last=True),
            "pk",
        )[:SEARCH_RESULTS_PER_KIND]
    )
    return {
        "opportunity_count": counts["total"],
        "open_opportunity_count": counts["total"] - counts["closed"] - counts["upcoming"],
        "upcoming_opportunity_count": counts["upcoming"],
        "closed_opportunity_count": counts["closed"],
        "opportunities": [present(row, day) for row in rows],
    }


def search_stories(query: str, now=None) -> dict:
    """Published stories matching `query` (a title hit outranks one in the summary or text):
    how many and the first SEARCH_RESULTS_PER_KIND, most relevant first, then newest. Drafts,
    archived stories and those scheduled for later are never found. One query, and a second for
    the count only when the first fills the list."""
    text_query = search_query(query)
    if text_query is None:
        return {"story_count": 0, "stories": []}
    matching = Story.objects.published(now).filter(search_vector=text_query)
    stories = list(
        matching.annotate(rank=SearchRank(F("search_vector"), text_query)).order_by(
            "-rank", "-publish_at", "-pk"
        )[:SEARCH_RESULTS_PER_KIND]
    )
    count = matching.count() if len(stories) == SEARCH_RESULTS_PER_KIND else len(stories)
    return {"story_count": count, "stories": stories}


def search_resources(query: str) -> dict:
    """Listed resources matching `query` (a title hit outranks one in the publisher, social
    areas or description): how many and the first SEARCH_RESULTS_PER_KIND, most relevant
    first, then newest. Unlisted resources are never found. One query, and a second for the
    count only when the first fills the list."""
    if search_query(query) is None:
        return {"resource_count": 0, "resources": []}
    matching = Resource.objects.listed().matching(query)
    resources = list(
        matching.by_relevance(query).only("title", "url", "kind", "publisher", "published_on")[
            :SEARCH_RESULTS_PER_KIND
        ]
    )
    count = matching.count() if len(resources) == SEARCH_RESULTS_PER_KIND else len(resources)
    return {"resource_count": count, "resources": resources}


@require_GET
def search(request):
    """Site-wide search over published organisations, projects, events, funding opportunities
    and stories, and listed resources, most relevant first; each kind links to its own list for
    the rest."""
    form = SearchForm(request.GET)
    context = {"form": form, "query": ""}
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        organisations = Organisation.objects.published().matching(query)
        projects = Project.objects.published().matching(query)
        context.update(
            query=query,
            organisation_count=organisations.count(),
            project_count=projects.count(),
            organisations=organisations.with_cards().by_relevance(query)[:SEARCH_RESULTS_PER_KIND],
            projects=projects.with_cards().by_relevance(query)[:SEARCH_RESULTS_PER_KIND],
            **search_events(query),
            **search_funding(query),
            **search_stories(query),
            **search_resources(query),
        )
        context.update(search_sections(context))
    status = 400 if form.errors else 200
    return render(request, "dsi_hub/search.html", context, status=status)


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. No I/O, so a flood of checks costs nothing."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Readiness: the database (503 without it), Redis, the worker's heartbeat and the mail
    queue (reported, degraded without them; 503 for any with ?strict), see dsi_hub.health."""
    report = readiness_report()
    status, ready = readiness(report, strict="strict" in request.GET)
    return JsonResponse({"status": status, "checks": report}, status=200 if ready else 503)


# Under /api/, errors are JSON, as the API's own (core.api.errors).


def page_not_found(request, exception):
    return api_error(request, 404) or render(request, "404.html", status=404)


def server_error(request):
    """The 500 page (JSON under /api/); the 503 one when what failed is the database
    (core.outages) in a part of the request that OutageMiddleware does not see (another
    middleware)."""
    if is_outage(sys.exc_info()[1]):
        return unavailable_response(request)
    return api_error(request, 500) or render(request, "500.html", status=500)


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        return request_too_big(request)
    return api_error(request, 400) or render(request, "400.html", status=400)


def permission_denied(request, exception):
    return api_error(request, 403) or render(request, "403.html", status=403)
