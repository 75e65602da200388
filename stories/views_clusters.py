"""Public pages of the clusters and resources: the six clusters, a cluster's page gathering
everything in the hub tagged with its social area, and the list of resources.

A cluster page reads from several apps (directory, events, funding, stories): each block is a
count and a few newest rows, so the page costs a fixed number of queries whatever the hub
holds. Anonymous visitors get whole pages from the cache, stamped with the stories' version and
kept five minutes, which bounds how stale the other apps' blocks can be.
"""

import math

from django import forms
from django.db.models import F
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.filters import SearchTextField
from core.html import sanitize_html
from core.listing import page_links, page_number
from core.page_cache import cache_for_visitors
from core.search import facet_key, search_query
from directory.models import Organisation, Project, ProjectOrganisation, SocialArea
from events.models import Event
from funding.models import Opportunity
from stories.models import Cluster, Resource, ResourceKind, Story
from stories.services import stories_cache, stories_cached

# Blocks on a cluster page show this many of the newest rows, and link to the full list.
BLOCK_SIZE = 5
PAGE_SIZE = 20
# Cluster pages show other apps' content too: kept minutes, not until the next story change.
PAGE_CACHE_SECONDS = 5 * 60
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
    errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
    status = 400 if errors else 200
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
    page = page_number(request.GET.get("page"))
    if page is None:
        errors.append(_("The page number must be a whole number from 1 upwards."))
        status, page = 400, 1

    total = results.count() if valid else 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    resources = []
    if page > pages:
        errors.append(
            _("There is no page %(page)s: these results have %(pages)s page(s).")
            % {"page": page, "pages": pages}
        )
        status = 404 if status == 200 else status
    elif valid:
        start = (page - 1) * PAGE_SIZE
        resources = list(
            results.by_relevance(words).prefetch_related("social_areas")[start : start + PAGE_SIZE]
        )
    for resource in resources:
        resource.description_html = sanitize_html(resource.description)
    context = {
        "form": form,
        "resources": resources,
        "total": total,
        "page": page,
        "pages": pages,
        "page_links": page_links(query, page, pages),
        "query_errors": errors,
        "clear_url": request.path,
        "filtered": bool(query),
    }
    return TemplateResponse(request, "stories/resource_list.html", context, status=status)
