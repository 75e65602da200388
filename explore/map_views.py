"""The map page (/<lang>/explore/map/) and its clusters (/<lang>/explore/map/clusters.json).

The page works without JavaScript: an SVG of Europe by country and a table of countries and
cities, each linking to the filtered lists; explore-map.js puts the interactive map above
them, asking the clusters endpoint for each view."""

import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from core.listing import query_link
from directory.facets import facet_summary
from directory.facets import indexed_results
from directory.facets import results_key
from directory.facets import summary_from_counts
from directory.filters import RESULT_PARAMS
from directory.versions import directory_version
from directory.vocabularies import vocabulary
from explore.choropleth import ATLAS
from explore.choropleth import Shade
from explore.choropleth import choropleth_svg
from explore.clusters import KINDS
from explore.clusters import BadQuery
from explore.clusters import clusters
from explore.clusters import filtersets
from explore.clusters import query_problems
from explore.filter_fields import filter_selects

ORGANISATION_PARAMS = set(RESULT_PARAMS) - {"live"}
PROJECT_PARAMS = set(RESULT_PARAMS) - {"type", "size"}
# The view shown first (Europe), and the view parameters' bounds.
DEFAULT_VIEW = {"lat": 50.0, "lng": 10.0, "z": 4}
VIEW_BOUNDS = {"lat": (-85.0, 85.0), "lng": (-180.0, 180.0), "z": (0, 18)}
TOP_CITIES = 15
# The finer outlines (1:50m: 230 KB gzipped, the 110m 38 KB) the script fetches once, when the
# map is first zoomed to FINE_ATLAS_ZOOM or closer, so the default view (zoom 4) never loads
# them. In Europe the 110m's vertices are a median 55 km apart, the 50m's 7 km: at zoom 5 (about
# 3 km a pixel at 50 degrees north) that is 18 pixels against 2, the 110m's corners plain to see.
# Zoomed out again, the map shows the 110m (kept, like the 50m once read: fewer points to draw).
FINE_ATLAS = "vendor/world-atlas/countries-50m.json"
FINE_ATLAS_ZOOM = 5


@require_safe
def map_clusters(request):
    """JSON: the view's clusters or points; a bad parameter is a 400 with {"detail": ...}."""
    try:
        answer = clusters(request.GET, token=directory_version())
    except BadQuery as error:
        return JsonResponse({"detail": str(error)}, status=400)
    response = JsonResponse(answer)
    response["Cache-Control"] = "public, max-age=60"
    return response


def _view(params) -> tuple[dict, list[str]]:
    """The map's centre and zoom from ?lat=&lng=&z= (the defaults for those not given)."""
    view, problems = dict(DEFAULT_VIEW), []
    for name, (low, high) in VIEW_BOUNDS.items():
        text = params.get(name)
        if text in (None, ""):
            continue
        try:
            value = int(text) if name == "z" else float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not low <= value <= high:
            problems.append(
                _("%(name)s must be a number between %(low)s and %(high)s.")
                % {"name": name, "low": low, "high": high}
            )
            continue
        view[name] = value
    return view, problems


def _summary(filterset, token) -> dict:
    """The total, the country counts and the cities of a list's results (facet index, or
    Postgres while it has none)."""
    indexed = indexed_results(filterset, token=token)
    model = filterset.queryset.model
    if indexed is not None:
        counts = {
            key: n for key, n in indexed.counts.items() if key.startswith(("country:", "city:"))
        }
        return summary_from_counts(model, indexed.total, counts, version=token)
    filterset.qs  # noqa: B018 - filters (`filtered`), for Postgres's counts
    query = [(k, v) for k, vs in filterset.data.lists() for v in vs if k in RESULT_PARAMS]
    return facet_summary(
        filterset, key=results_key(model_name=model._meta.model_name, params=query)
    )


def _query(request, names) -> list[tuple[str, str]]:
    return [
        (key, value)
        for key, values in request.GET.lists()
        for value in values
        if key in names and value != ""
    ]


@require_safe
def map_page(request):
    sets = filtersets(request.GET)
    problems = query_problems(sets)
    view, view_problems = _view(request.GET)
    problems += view_problems
    kinds = [kind for kind in request.GET.getlist("kinds") if kind in KINDS] or list(KINDS)
    token = directory_version()
    organisations = sets["organisations"]
    projects = sets["projects"]
    organisation_query = _query(request, ORGANISATION_PARAMS)
    project_query = _query(request, PROJECT_PARAMS)
    organisation_list = reverse("directory:organisation_list")
    project_list = reverse("directory:project_list")
    rows, shades, cities = [], [], []
    if not problems:
        org_summary = _summary(organisations, token)
        project_summary = _summary(projects, token)
        without_country = [(k, v) for k, v in organisation_query if k != "country"]
        project_without_country = [(k, v) for k, v in project_query if k != "country"]
        for term in vocabulary("country"):
            key = f"country:{term.pk}"
            org_count = org_summary["counts"].get(key, 0)
            project_count = project_summary["counts"].get(key, 0)
            if not (org_count or project_count):
                continue
            org_url = query_link(organisation_list, [*without_country, ("country", term.slug)])
            rows.append(
                {
                    "name": term.name,
                    "organisations": org_count,
                    "projects": project_count,
                    "organisations_url": org_url,
                    "projects_url": query_link(
                        project_list, [*project_without_country, ("country", term.slug)]
                    ),
                }
            )
            numeric = _numeric(term.code)
            if numeric and org_count:
                shades.append(Shade(numeric, term.name, org_count, org_url))
        rows.sort(key=lambda row: (-row["organisations"], -row["projects"], row["name"]))
        without_city = [(k, v) for k, v in organisation_query if k != "city"]
        for label, _value, count in org_summary["free"]["city"][:TOP_CITIES]:
            cities.append(
                {
                    "name": label,
                    "organisations": count,
                    "url": query_link(organisation_list, [*without_city, ("city", label)]),
                }
            )
        total_organisations = org_summary["total"]
        total_projects = project_summary["total"]
    else:
        total_organisations = total_projects = 0
    svg = choropleth_svg(
        shades,
        title=_("Organisations by country in Europe"),
        label=lambda shade: (
            ngettext(
                "%(country)s: %(count)s organisation",
                "%(country)s: %(count)s organisations",
                shade.count,
            )
            % {"country": shade.name, "count": shade.count}
        ),
    )
    context = {
        "problems": problems,
        "svg": svg,
        "countries": rows,
        "cities": cities,
        "total_organisations": total_organisations,
        "total_projects": total_projects,
        "kinds": kinds,
        "kind_choices": [
            ("organisations", _("Organisations")),
            ("projects", _("Projects")),
            ("events", _("Upcoming events")),
        ],
        "q": request.GET.get("q", ""),
        "city": request.GET.get("city", ""),
        "selects": filter_selects(request.GET),
        "hidden": [(k, v) for k, v in _query(request, ("tag", "network")) if v],
        "organisations_url": query_link(organisation_list, organisation_query),
        "projects_url": query_link(project_list, project_query),
        "clear_url": request.path,
        "view": view,
        "clusters_url": reverse("explore:map_clusters"),
        "atlas_url": static(ATLAS),
        "fine_atlas_url": static(FINE_ATLAS),
        "fine_atlas_zoom": FINE_ATLAS_ZOOM,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "explore/map.html", context, status=400 if problems else 200)


def _shade_label(shade: Shade) -> str:
    return ngettext(
        "%(country)s: %(count)s organisation",
        "%(country)s: %(count)s organisations",
        shade.count,
    ) % {"country": shade.name, "count": shade.count}


def _numeric(code: str) -> str:
    """The ISO 3166 numeric code (as world-atlas writes it) of an alpha-2 code."""
    import pycountry  # noqa: PLC0415 - only the page needs it, once per country

    country = pycountry.countries.get(alpha_2=code) if code else None
    return country.numeric if country else ""
