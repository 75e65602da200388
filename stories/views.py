"""Public pages of stories, clusters and resources.

Stories: the list (newest first, filtered and searched) and a story's page. Anonymous visitors
get whole pages from the cache (core.page_cache), stamped with the stories' version, which every
admin save moves on. A story is public only once its publication moment has come, a moment no
save marks: so a cached page is kept at most a few minutes, and never past the moment the next
scheduled story comes out (see stories_for_visitors).

Clusters: the six clusters, and a cluster's page gathering everything in the hub tagged with
its social area. A cluster page reads from several apps (directory, events, funding, stories):
each block is a count and a few newest rows, so the page costs a fixed number of queries
whatever the hub holds. Anonymous visitors get whole pages from the cache, stamped with the
stories' version and kept five minutes, which bounds how stale the other apps' blocks can be.
Resources: their list, searched and filtered.
"""

import functools

from django import forms
from django.db.models import F
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.filters import SearchTextField
from core.html import sanitize_html
from core.listing import FilteredListPage
from core.listing import ListPage
from core.listing import query_errors
from core.page_cache import cache_for_visitors
from core.search import facet_key
from core.search import search_query
from directory.models import Organisation
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.models import SocialArea
from events.models import Event
from funding.models import Opportunity
from stories.filters import StoryFilterSet
from stories.jsonld import story_jsonld_script
from stories.models import Cluster
from stories.models import Kind
from stories.models import Resource
from stories.models import ResourceKind
from stories.models import Story
from stories.services import seconds_until
from stories.services import stories_cache
from stories.services import stories_cached

PAGE_SIZE = 20
PAGE_CACHE_SECONDS = 5 * 60
FILTER_PARAMS = ("q", "kind", "category", "area")
LIST_PARAMS = {*FILTER_PARAMS, "page"}


def seconds_until_next_story(now, timeout: int) -> int:
    """How long something made at `now` may be kept: `timeout`, or less if a scheduled story
    comes out before then (0 if it already has: then it is not kept at all)."""
    return seconds_until(Story.objects.next_publish_at(now), timeout)


def stories_cache_until(now):
    """stories_cache, keeping an entry rendered at `now` no longer than seconds_until_next_story."""

    def store(key, entry, *, version, timeout):
        timeout = seconds_until_next_story(now, timeout)
        if timeout <= 0:
            return entry
        return stories_cache(key, entry, version=version, timeout=timeout)

    return store


def stories_for_visitors(*, params=()):
    """cache_for_visitors for stories' pages: the page is rendered against one `now`
    (request.stories_now) and kept no later than the next scheduled story's moment."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            now = timezone.now()
            request.stories_now = now
            cached_view = cache_for_visitors(
                stories_cached,
                stories_cache_until(now),
                params=params,
                timeout=PAGE_CACHE_SECONDS,
            )(view)
            return cached_view(request, *args, **kwargs)

        return wrapped

    return decorator


def _now(request):
    return getattr(request, "stories_now", None) or timezone.now()


@require_safe
@stories_for_visitors(params=LIST_PARAMS)
def story_list(request):
    """Published stories newest first (featured case studies first when nothing is filtered),
    filtered, searched and in pages of PAGE_SIZE."""
    filterset = StoryFilterSet(request.GET, queryset=Story.objects.published(_now(request)))
    listing = FilteredListPage(
        request, filterset, page_size=PAGE_SIZE, params=LIST_PARAMS, filter_params=FILTER_PARAMS
    )
    context = {
        **listing.list_context(),
        "stories": listing.rows(filterset.qs.with_cards()),
        "kinds": Kind,
        "downloads": listing.download_links("stories"),
    }
    return TemplateResponse(request, "stories/story_list.html", context, status=listing.status)


@require_safe
@stories_for_visitors()
def story_detail(request, slug):
    """A published story: its text cleaned again, and for a case study the project and
    organisations it is about, linked while they are published."""
    story = (
        Story.objects.published(_now(request))
        .with_cards()
        .select_related("project")
        .prefetch_related("organisations")
        .filter(slug=slug)
        .first()
    )
    if story is None:
        raise Http404
    organisations = list(story.organisations.all())
    project = story.project
    context = {
        "story": story,
        "is_case_study": story.kind == Kind.CASE_STUDY,
        "project": project if project is not None and project.is_published else None,
        "organisations": [org for org in organisations if org.is_published],
        "list_url": reverse("stories:story_list"),
        # Cleaned again here: an admin save or a revert may have stored any HTML.
        "body": mark_safe(sanitize_html(story.body)),  # noqa: S308
        "jsonld": story_jsonld_script(story, organisations=organisations),
    }
    return TemplateResponse(request, "stories/story_detail.html", context)


# Blocks on a cluster page show this many of the newest rows, and link to the full list.
BLOCK_SIZE = 5
# Cluster pages show other apps' content too: kept minutes (PAGE_CACHE_SECONDS), not until the
# next story change.
# Searched pages are cached too, as the other lists' are: the address, words included, is the key.
RESOURCE_PARAMS = ("q", "kind", "area", "page")

clusters_for_visitors = cache_for_visitors(
    stories_cached, stories_cache, timeout=PAGE_CACHE_SECONDS
)
resources_for_visitors = cache_for_visitors(
    stories_cached, stories_cache, params=RESOURCE_PARAMS, timeout=PAGE_CACHE_SECONDS
)


def _lead_partner_url(cluster: Cluster) -> str:
    partner = cluster.lead_partner
    if partner is not None and partner.is_published:
        return partner.get_absolute_url()
    return ""


def _story_url(name: str, **kwargs) -> str:
    """A page of the stories."""
    return reverse(f"stories:{name}", kwargs=kwargs or None)


def _clusters():
    # Whole rows: the area's name is translated (one column per language).
    return Cluster.objects.select_related("social_area", "lead_partner")


@require_safe
@clusters_for_visitors
def cluster_list(request):
    """The six clusters, in their order: social area, lead partner, a short introduction."""
    clusters = list(_clusters())
    for cluster in clusters:
        cluster.lead_partner_url = _lead_partner_url(cluster)
        cluster.introduction_html = sanitize_html(cluster.introduction)
    return TemplateResponse(request, "stories/cluster_list.html", {"clusters": clusters})


def _block(queryset, *, order, fields, url: str = "") -> dict:
    """A count and the first BLOCK_SIZE rows in `order`: two queries."""
    return {
        "count": queryset.count(),
        "items": list(queryset.order_by(*order).only(*fields)[:BLOCK_SIZE]),
        "url": url,
    }


@require_safe
@clusters_for_visitors
def cluster_detail(request, slug):
    """A cluster: its introduction and lead partner, then what the hub holds in its social
    area: projects and the organisations behind them, upcoming events, open funding, stories
    and resources, each as a count, the newest few and a link to the filtered list."""
    cluster = _clusters().filter(slug=slug).first()
    if cluster is None:
        raise Http404(_("There is no such cluster."))
    area = cluster.social_area
    key = facet_key("area", area.pk)
    now = timezone.now()
    by_area = urlencode({"area": area.slug})

    projects = Project.objects.published().filter(facet_keys__contains=[key])
    behind = ProjectOrganisation.objects.filter(project__in=projects).values("organisation")
    organisations = Organisation.objects.published().filter(pk__in=behind)
    events = (
        Event.objects.published()
        .upcoming(now)
        .filter(facet_keys__contains=[key])
        .with_next_occurrence(now)
    )
    funding = Opportunity.objects.published().open_on().filter(facet_keys__contains=[key])
    stories = Story.objects.published(now).filter(social_areas=area)
    resources = Resource.objects.listed().filter(social_areas=area)

    story_list = _story_url("story_list")
    blocks = {
        "projects": _block(
            projects,
            order=["-published_at", "-pk"],
            fields=["name", "slug", "short_description"],
            url=f"{reverse('directory:project_list')}?{by_area}",
        ),
        "organisations": _block(
            organisations,
            order=["-published_at", "-pk"],
            fields=["name", "slug", "short_description"],
        ),
        "events": _block(
            events,
            # soonest first by the next time each happens (a series began long ago)
            order=["next_starts_at", "pk"],
            fields=["title", "slug", "short_description", "starts_at", "city", "attendance"],
            url=f"{reverse('events:event_list')}?{by_area}",
        ),
        "funding": _block(
            funding,
            order=[F("closes_on").asc(nulls_last=True), "pk"],
            fields=["title", "slug", "short_description", "closes_on", "funder_name"],
            url=f"{reverse('funding:opportunity_list')}?{by_area}",
        ),
        "stories": _block(
            stories,
            order=["-publish_at", "-pk"],
            fields=["title", "slug", "summary", "publish_at", "kind"],
            url=f"{story_list}?{by_area}" if story_list else "",
        ),
        "resources": _block(
            resources,
            order=[F("published_on").desc(nulls_last=True), "-pk"],
            fields=["title", "url", "kind", "publisher", "published_on"],
            url=f"{reverse('stories:resource_list')}?{by_area}",
        ),
    }
    for story in blocks["stories"]["items"]:
        story.page_url = _story_url("story_detail", slug=story.slug)
    context = {
        "cluster": cluster,
        "area": area,
        "introduction": sanitize_html(cluster.introduction),
        "lead_partner_url": _lead_partner_url(cluster),
        "blocks": blocks,
    }
    return TemplateResponse(request, "stories/cluster_detail.html", context)


class ResourceFilterForm(forms.Form):
    """?q=open+data&kind=toolkit&area=health-and-care: all optional, unknown values are errors.
    `q` is the full-text search on the resources' stored vector (directory.search)."""

    q = SearchTextField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"aria-describedby": "q-help"}),
        error_messages={
            "max_length": gettext_lazy(
                "Your search is too long: please use at most 200 characters."
            )
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Any kind")), *ResourceKind.choices],
        error_messages={"invalid_choice": gettext_lazy("“%(value)s” is not a kind we know.")},
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Social area"),
        required=False,
        queryset=SocialArea.objects.all(),
        to_field_name="slug",
        empty_label=gettext_lazy("Any social area"),
        error_messages={
            "invalid_choice": gettext_lazy("That is not a social area we know."),
        },
    )


@require_safe
@resources_for_visitors
def resource_list(request):
    """Listed resources, newest first, filtered by kind and social area, in pages; searched,
    the most relevant first, then the newest."""
    form = ResourceFilterForm(request.GET)
    valid = form.is_valid()
    listing = ListPage(request, query_errors(form), page_size=PAGE_SIZE)
    results = Resource.objects.listed()
    query = []
    words = ""
    if valid:
        if words := form.cleaned_data["q"]:
            query.append(("q", words))
            # Words with nothing searchable in them ("!!!") narrow nothing, as in other lists.
            if search_query(words) is not None:
                results = results.matching(words)
        if kind := form.cleaned_data["kind"]:
            results = results.filter(kind=kind)
            query.append(("kind", kind))
        if area := form.cleaned_data["area"]:
            results = results.filter(social_areas=area)
            query.append(("area", area.slug))
    window = listing.window(results.count() if valid else 0)
    resources = []
    if window and valid:
        resources = list(results.by_relevance(words).prefetch_related("social_areas")[window])
    for resource in resources:
        resource.description_html = sanitize_html(resource.description)
    context = {
        "form": form,
        "resources": resources,
        **listing.context(query),
        "clear_url": request.path,
        "filtered": bool(query),
    }
    return TemplateResponse(request, "stories/resource_list.html", context, status=listing.status)
