"""Public pages of the directory: lists with search, filters and facets, and detail pages."""

import hashlib
import zlib

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.jsonld import jsonld_script_text
from core.listing import ListPage
from core.listing import download_links
from core.listing import query_errors
from core.page_cache import cache_for_visitors
from core.page_cache import variant_admitted
from directory.cards import profile_cards
from directory.facets import build_facets
from directory.facets import facet_summary
from directory.facets import indexed_results
from directory.facets import result_page_ids
from directory.facets import results_key
from directory.facets import summary_from_counts
from directory.filters import RESULT_PARAMS
from directory.filters import SORTS
from directory.filters import OrganisationFilterSet
from directory.filters import ProjectFilterSet
from directory.jsonld import organisation_jsonld
from directory.jsonld import project_jsonld
from directory.models import Membership
from directory.models import Organisation
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.models import Role
from directory.neighbourhood import organisation_neighbourhood
from directory.services.profiles import profile_can_edit
from directory.services.profiles import profile_membership
from directory.versions import directory_cache
from directory.versions import directory_cached

PAGE_SIZE = 20
# The download of each list (core.exports), which takes the list's own parameters.
DOWNLOADS = {"organisation": "organisations", "project": "projects"}
SEARCH_LABELS = {
    "organisation": gettext_lazy("Search organisations"),
    "project": gettext_lazy("Search projects"),
}
ADD_LABELS = {
    "organisation": gettext_lazy("Add an organisation"),
    "project": gettext_lazy("Add a project"),
}


LIST_CACHE_SECONDS = 10 * 60
# Anonymous visitors get whole pages from the cache, stamped with the directory's version: the
# lists for their own parameters, detail pages without any.
lists_for_visitors = cache_for_visitors(
    directory_cached, directory_cache, params={*RESULT_PARAMS, "page", "sort"}
)
detail_for_visitors = cache_for_visitors(directory_cached, directory_cache)


def _list_cache_key(request, model) -> str:
    """One key per list, query string (in any order) and language."""
    query = urlencode(
        sorted((key, value) for key, values in request.GET.lists() for value in values)
    )
    digest = hashlib.sha1(query.encode(), usedforsecurity=False).hexdigest()
    return f"directory:list-page:{model._meta.model_name}:{get_language()}:{digest}"


def _list(request, *, model, filterset_class, template):
    """A list page. Its body depends only on the query string, so it is cached as a whole,
    stamped with the directory's version and read in one round trip with it; the counts and
    page ids below it are cached too, for the same results in another order or language."""
    cache_key = _list_cache_key(request, model)
    version, entry = directory_cached(cache_key)
    if entry is not None:
        body = zlib.decompress(entry["body"]).decode()
        return render(request, template, {"body": mark_safe(body)})  # noqa: S308
    response = _list_uncached(
        request, model=model, filterset_class=filterset_class, version=version
    )
    body = response.content.decode()
    # Compressed (a sixth of the size), and a bounded number of query strings per period, as
    # the page cache does: every new search would otherwise keep its 30 kB for ten minutes.
    if response.status_code == 200 and (
        not request.GET
        or variant_admitted(f"directory.list.{model._meta.model_name}", timeout=LIST_CACHE_SECONDS)
    ):
        entry = {"body": zlib.compress(response.content, 1)}
        directory_cache(cache_key, entry, version=version, timeout=LIST_CACHE_SECONDS)
    # our own rendered page
    page = render(request, template, {"body": mark_safe(body)}, status=response.status_code)  # noqa: S308
    if "Server-Timing" in response:
        page["Server-Timing"] = response["Server-Timing"]
    return page


def _list_uncached(request, *, model, filterset_class, version=None):
    """The list from the facet index (total, disjunctive counts, the page's ids) or, while
    it has none, from Postgres; then the page's cards by id in one query."""
    filterset = filterset_class(request.GET, queryset=model.objects.published())
    results = filterset.qs  # validates, filters, orders
    listing = ListPage(request, query_errors(filterset), page_size=PAGE_SIZE)
    query = [
        (key, value)
        for key, values in request.GET.lists()
        for value in values
        if key in filterset.filters and key not in filterset.errors
    ]

    key = results_key(
        model_name=model._meta.model_name,
        params=[(name, value) for name, value in query if name in RESULT_PARAMS],
    )
    sort = filterset.sort_value()
    indexed = indexed_results(filterset, token=version)
    if indexed is not None:
        summary = summary_from_counts(model, indexed.total, indexed.counts, version=version)
    else:
        summary = facet_summary(filterset, key=key)
    window = listing.window(summary["total"])
    rows = []
    if window:
        ids = result_page_ids(
            indexed, results, key=key, sort=sort, start=window.start, size=PAGE_SIZE
        )
        rows = profile_cards(model, ids)

    selected = {key: [v for k, v in query if k == key] for key in filterset.facets}
    facets = build_facets(summary, names=filterset.facets, selected=selected, query=query)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "profiles": rows,
        **listing.context(query),
        "facets": facets,
        "active": [value for facet in facets for value in facet.selected],
        "sort": sort,
        "sorts": SORTS,
        "hidden_filters": [(k, v) for k, v in query if k not in ("q", "sort", "page")],
        "clear_url": request.path,
        "heading": model._meta.verbose_name_plural.capitalize(),
        "search_label": SEARCH_LABELS[model._meta.model_name],
        "downloads": download_links(DOWNLOADS[model._meta.model_name], query),
        "add_label": ADD_LABELS[model._meta.model_name],
        "add_url": reverse(f"directory:{model._meta.model_name}_create"),
        # Which side of the network (explore) the same filters select.
        "network_select": f"{model._meta.model_name}s",
    }
    response = TemplateResponse(
        request, "directory/partials/directory_list.html", context, status=listing.status
    ).render()
    if indexed is not None:  # the index's own time, and the text search's (for the benchmark)
        response["Server-Timing"] = (
            f"facets;dur={indexed.ms:.2f}, search;dur={indexed.search_ms:.2f}"
        )
    return response


@require_safe
@lists_for_visitors
def organisation_list(request):
    return _list(
        request,
        model=Organisation,
        filterset_class=OrganisationFilterSet,
        template="directory/organisation_list.html",
    )


@require_safe
@lists_for_visitors
def project_list(request):
    return _list(
        request,
        model=Project,
        filterset_class=ProjectFilterSet,
        template="directory/project_list.html",
    )


DETAIL_CACHE_SECONDS = 10 * 60
# What a detail page needs before its cached body: the title, the actions bar and the cache key.
DETAIL_FIELDS = ["pk", "slug", "name", "short_description", "website", "updated_at"]


def _members(profile):
    return (
        Membership.objects.filter(is_public=True, **Membership.profile_kwargs(profile))
        .select_related("user")
        .order_by("created_at")
    )


def organisation_main_context(profile) -> dict:
    links = (
        ProjectOrganisation.objects.filter(organisation=profile, project__status="published")
        .select_related("project")
        .order_by("project__name")
    )
    return {
        "profile": profile,
        "members": _members(profile),
        "project_links": links,
        "neighbourhood": organisation_neighbourhood(profile),
    }


def project_main_context(profile) -> dict:
    return {"profile": profile, "members": _members(profile)}


def _project_with_details():
    return Project.objects.with_details().prefetch_related(
        Prefetch(
            "links_to_organisations",
            queryset=ProjectOrganisation.objects.filter(organisation__status="published")
            .select_related("organisation__country")
            .order_by("role", "organisation__name"),
            to_attr="organisation_links",
        )
    )


DETAILS = {
    "organisation": (Organisation, Organisation.objects.with_details, organisation_main_context),
    "project": (Project, _project_with_details, project_main_context),
}


def _detail_entry(kind: str, slug: str) -> dict | None:
    """What a detail page caches: its row (title, actions) and its rendered body."""
    model, with_details, main_context = DETAILS[kind]
    row = model.objects.published().filter(slug=slug).values(*DETAIL_FIELDS).first()
    if row is None:
        return None
    profile = with_details().get(pk=row["pk"])
    context = main_context(profile)
    # Everyone on the profile in the one query: the page lists the public ones, and offers
    # claiming when no one owns it.
    people = list(
        Membership.objects.filter(**Membership.profile_kwargs(profile))
        .select_related("user")
        .order_by("created_at")
    )
    context["members"] = [membership for membership in people if membership.is_public]
    parts = (
        render_to_string("directory/partials/profile_header.html", context),
        render_to_string(f"directory/partials/{kind}_main.html", context),
    )
    # schema.org JSON-LD from the rows just rendered (the links are already loaded).
    if kind == "organisation":
        data = organisation_jsonld(profile, project_links=context["project_links"])
    else:
        data = project_jsonld(profile, organisation_links=profile.organisation_links)
    return {
        "row": row,
        "parts": parts,
        "jsonld": jsonld_script_text(data),
        "has_owner": any(membership.role == Role.OWNER for membership in people),
    }


def _detail(request, kind: str, slug: str):
    """A published profile. Its row and body (all but the viewer's actions) are cached per
    language and stamped with the directory's version, read in one round trip with it: a visit
    runs no query when nothing published has changed since."""
    model = DETAILS[kind][0]
    digest = hashlib.sha1(slug.encode(), usedforsecurity=False).hexdigest()
    key = f"directory:detail:{kind}:{get_language()}:{digest}"
    version, entry = directory_cached(key)
    if entry is None:
        entry = _detail_entry(kind, slug)
        if entry is None:
            raise Http404
        entry = directory_cache(key, entry, version=version, timeout=DETAIL_CACHE_SECONDS)
    profile = model(**entry["row"])
    membership = profile_membership(profile, request.user)
    context = {
        "profile": profile,
        "parts": [mark_safe(part) for part in entry["parts"]],  # noqa: S308 - our own templates
        # JSON with <, > and & escaped (directory.jsonld): safe inside its <script>.
        "jsonld": mark_safe(entry.get("jsonld", "")),  # noqa: S308
        "is_member": membership is not None,
        # Entries cached before claims existed: the join link, which leads to claiming anyway.
        "has_owner": entry.get("has_owner", True),
        "can_edit": membership is not None or profile_can_edit(profile, request.user),
    }
    return render(request, f"directory/{kind}_detail.html", context)


@require_safe
@detail_for_visitors
def organisation_detail(request, slug):
    return _detail(request, "organisation", slug)


@require_safe
@detail_for_visitors
def project_detail(request, slug):
    return _detail(request, "project", slug)
