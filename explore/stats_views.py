"""The statistics pages: the overview (/<lang>/explore/) with the lists' filters and search,
and a page per country (/<lang>/explore/countries/<code>/), each chart's data as a CSV
(?format=csv&chart=<name>).

A page's body (and its tables, for the CSVs) depends only on its query string and language: it
is cached under the directory's content version, read in one round trip with it, as the lists
are. Its figures come from the facet index (explore.stats), so a query string no one asked for
before costs the index's set arithmetic and the drawing, not a scan of the tables. The country
page's upcoming events and open funding are read on every request (two small queries): they
have their own versions.
"""

import hashlib
import zlib
from html import escape
from urllib.parse import quote_plus

from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.listing import query_errors
from core.page_cache import variant_admitted
from directory.cards import cards_html
from directory.cards import profile_cards
from directory.facets import FACET_INDEXES
from directory.facets import page_ids
from directory.facets import results_key
from directory.filters import ORDERINGS
from directory.filters import RESULT_PARAMS
from directory.versions import directory_cache
from directory.versions import directory_cached
from directory.vocabularies import vocabulary
from directory.vocabularies import vocabulary_tables
from events.models import Event
from events.services import events_cache
from events.services import events_cached
from explore.stats import KINDS
from explore.stats import CountryFilters
from explore.stats import kind_figures
from explore.stats import kind_filterset
from explore.stats_charts import chart_html
from explore.stats_charts import csv_response
from explore.stats_tables import Links
from explore.stats_tables import country_tables
from explore.stats_tables import overview_tables
from funding.display import present
from funding.models import Opportunity
from funding.services import opportunities_cache
from funding.services import opportunities_cached

CACHE_SECONDS = 10 * 60
# ?kind=: which profiles the overview counts.
KIND_CHOICES = {
    "both": ("organisation", "project"),
    "organisations": ("organisation",),
    "projects": ("project",),
}
NEWEST_SHOWN = 6
EVENTS_SHOWN = 5
FUNDING_SHOWN = 5


def _packed(body: str, tables) -> dict:
    """A page's cache entry: its body compressed (a tenth of its 100-odd kB, for a
    millisecond) and its tables (for the CSVs)."""
    return {"body": zlib.compress(body.encode(), 1), "tables": tables}


def _body(entry: dict):
    return mark_safe(zlib.decompress(entry["body"]).decode())  # noqa: S308 - our own page


def _key(prefix: str, pairs) -> str:
    canonical = urlencode(sorted(pairs))
    digest = hashlib.sha1(canonical.encode(), usedforsecurity=False).hexdigest()
    return f"explore:{prefix}:{get_language()}:{digest}"


def _chart_choice(request) -> tuple[str | None, list[str]]:
    """The chart asked for as a CSV (None for the page), and what is wrong with the ask."""
    wanted = request.GET.get("format")
    if wanted in (None, ""):
        return None, []
    if wanted != "csv":
        return None, [_("The only download format is csv.")]
    chart = request.GET.get("chart", "")
    if not chart:
        return None, [_("Say which chart's data to download (chart=...).")]
    return chart, []


def _csv(tables, chart: str, *, filename: str):
    for table in tables:
        if table.name == chart and table.rows:
            return csv_response(table, filename=f"{filename}-{chart}.csv")
    return HttpResponse(
        _("There is no chart called %(name)s here.") % {"name": chart},
        status=404,
        content_type="text/plain; charset=utf-8",
    )


def _bad_request(request, errors, *, template, context):
    """A query string that cannot be used: a 400 page saying why (or plain text for a CSV)."""
    if request.GET.get("format"):
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    return render(request, template, {**context, "query_errors": errors}, status=400)


def _valid_pairs(request, filtersets) -> list[tuple[str, str]]:
    """The query's filters that some kind's FilterSet takes without error, in their order."""
    return [
        (key, value)
        for key, values in request.GET.lists()
        if key in RESULT_PARAMS
        and any(key in fs.filters and key not in fs.errors for fs in filtersets.values())
        for value in values
        if value != ""
    ]


@require_safe
def overview(request):
    kind = request.GET.get("kind") or "both"
    errors = []
    if kind not in KIND_CHOICES or len(request.GET.getlist("kind")) > 1:
        errors.append(_("Choose organisations, projects or both."))
        kind = "both"
    kinds = KIND_CHOICES[kind]
    chart, chart_errors = _chart_choice(request)
    filtersets = {name: kind_filterset(name, request.GET) for name in kinds}
    for filterset in filtersets.values():
        errors += [error for error in query_errors(filterset) if error not in errors]
    errors += chart_errors
    base_context = {"explore_section": "statistics"}
    if errors:
        return _bad_request(
            request, errors, template="explore/stats_overview.html", context=base_context
        )
    query = _valid_pairs(request, filtersets)
    key = _key("overview", [*query, ("kind", kind)])
    version, entry = directory_cached(key)
    if entry is not None:
        tables, body = entry["tables"], _body(entry)
    else:
        figures = {}
        for name, filterset in filtersets.items():
            params = [(k, v) for k, v in query if k in filterset.filters]
            heat = name == ("project" if "project" in kinds else "organisation")
            figures[name] = kind_figures(name, filterset, version=version, params=params, heat=heat)
        tables = overview_tables(figures, query=query)
        if chart:  # its data only
            return _csv(tables, chart, filename="dsi-hub-statistics")
        body = render_to_string(
            "explore/partials/stats_overview_body.html",
            {
                **_overview_context(request, figures, tables, query=query, kind=kind),
                "charts": _charts(tables, query=[*query, ("kind", kind)]),
            },
            request=request,
        )
        # A bounded number of query strings per period, as the lists keep (core.page_cache).
        if not query or variant_admitted("explore.overview", timeout=CACHE_SECONDS):
            directory_cache(key, _packed(body, tables), version=version, timeout=CACHE_SECONDS)
    if chart:
        return _csv(tables, chart, filename="dsi-hub-statistics")
    return render(request, "explore/stats_overview.html", {**base_context, "body": body})


def _charts(tables, *, query) -> str:
    """Every chart's section (explore.stats_charts.chart_html), one after the other."""
    kept = urlencode([(key, value) for key, value in query if key not in ("format", "chart")])
    prefix = f"?{kept}&format=csv&chart=" if kept else "?format=csv&chart="
    return mark_safe(  # noqa: S308 - each escaped by chart_html
        "".join(chart_html(table, download_url=prefix + quote_plus(table.name)) for table in tables)
    )


def _overview_context(request, figures, tables, *, query, kind) -> dict:
    links = Links(query)
    totals = [
        (name, figures[name].total, links.list_url(name))
        for name in ("organisation", "project")
        if name in figures
    ]
    only = {"type", "size"} if kind == "both" else set()
    only |= {"live"} if kind == "both" else set()
    return {
        "kind": kind,
        "query": query,
        "totals": totals,
        "one_kind_filters": sorted({key for key, _value in query if key in only}),
        "filter_selects": _filter_selects(),
        "active": _active(query, kind=kind),
        "q": next((value for key, value in query if key == "q"), ""),
        "clear_url": request.path,
    }


_selects_made: dict[str, tuple[object, str]] = {}  # language -> (vocabulary tables, HTML)


def _filter_selects() -> str:
    """The selects that add a filter, as HTML: written in Python, escaped (a template loop
    over some 350 terms costs more than the figures), once per language and vocabulary
    tables."""
    tables, language = vocabulary_tables(), get_language()
    made = _selects_made.get(language)
    if made is not None and made[0] is tables:
        return made[1]
    labels = {
        "country": _("Add a country"),
        "area": _("Add a social area"),
        "tech": _("Add a technology"),
        "focus": _("Add a DSI focus"),
        "type": _("Add an organisation type"),
    }
    any_value = escape(_("Any"))
    selects = mark_safe(  # noqa: S308 - escaped
        "".join(
            f'\n    <div class="field">\n      <label for="explore-{name}">{escape(label)}</label>'
            f'\n      <select id="explore-{name}" name="{name}"><option value="">{any_value}'
            "</option>"
            + "".join(
                f'<option value="{escape(term.slug)}">{escape(term.name)}</option>'
                for term in tables[name]
            )
            + "</select>\n    </div>\n  "
            for name, label in labels.items()
        )
    )
    _selects_made[language] = (tables, selects)
    return selects


def _active(query, *, kind: str) -> list[tuple[str, str]]:
    """The filters in use, each with the address that leaves it out (the kind kept)."""
    kept = [("kind", kind)] if kind != "both" else []
    chosen = {key for key, _value in query}
    names = {}
    for name in chosen & {"country", "area", "tech", "focus", "type", "size"}:
        names.update({(name, term.slug): term.name for term in vocabulary(name)})
    active = []
    for pair in query:
        if pair[0] == "q":
            continue
        rest = [other for other in query if other != pair] + kept
        active.append((names.get(pair, pair[1]), "?" + urlencode(rest)))
    return active


def country_term(code: str):
    """The country whose ISO alpha-2 code is `code` (either case), or a 404."""
    code = code.upper()
    if len(code) == 2 and code.isascii() and code.isalpha():
        for term in vocabulary("country"):
            if term.code.upper() == code:
                return term
    raise Http404(_("No country has this code."))


def _newest_html(kind: str, filterset, *, version, params) -> str:
    """The cards of the kind's newest profiles in the country (the index's "newest" order)."""
    model = KINDS[kind][0]
    indexed = FACET_INDEXES[kind].results(chosen=filterset.chosen_keys(), facets=(), token=version)
    ids = indexed.page("newest", start=0, size=NEWEST_SHOWN) if indexed is not None else None
    if ids is None:  # from Postgres, cached like the list's pages (directory.facets)
        filterset.qs  # noqa: B018 - filters (`filterset.filtered`)
        ordered = filterset.filtered.order_by(*ORDERINGS["newest"])
        key = results_key(model_name=kind, params=params)
        ids = page_ids(ordered, key=f"{key}:newest", start=0, size=NEWEST_SHOWN)
    return cards_html(profile_cards(model, ids)) if ids else ""


def _everywhere(version) -> dict:
    """The whole directory's figures, which every country page compares with: cached under
    the version (every country page made after a change would count them again)."""
    key = "explore:everywhere"
    found, entry = directory_cached(key)
    if entry is not None and found == version:
        return entry["figures"]
    figures = {
        kind: kind_figures(kind, kind_filterset(kind, {}), version=version, params=[], heat=False)
        for kind in KINDS
    }
    directory_cache(key, {"figures": figures}, version=version, timeout=CACHE_SECONDS)
    return figures


def _country_entry(request, term, *, version) -> dict:
    params = [("country", term.slug)]
    country, newest = {}, {}
    everywhere = _everywhere(version)
    for kind in KINDS:
        filterset = CountryFilters(kind, term)
        country[kind] = kind_figures(kind, filterset, version=version, params=params, heat=False)
        newest[kind] = mark_safe(  # noqa: S308 - escaped by cards_html
            _newest_html(kind, filterset, version=version, params=params)
        )
    links = Links(params)
    tables = country_tables(country, everywhere, term=term, links=links)
    total = sum(figures.total for figures in country.values())
    overall = sum(figures.total for figures in everywhere.values())
    body = render_to_string(
        "explore/partials/stats_country_body.html",
        {
            "country": term,
            "totals": [
                (kind, country[kind].total, everywhere[kind].total, links.list_url(kind))
                for kind in KINDS
            ],
            "share": round(100.0 * total / overall, 1) if overall else 0.0,
            "newest": newest,
            "charts": _charts(tables, query=[]),
        },
        request=request,
    )
    return _packed(body, tables)


def _countries_with(key: str, cached, cache, rows) -> frozenset[int]:
    """The country ids `rows()` gives (a values_list query), cached under a content version
    (`cached(key)` and `cache(key, entry, ...)` of that version)."""
    version, entry = cached(key)
    if entry is None:
        ids = frozenset(rows().distinct())
        entry = cache(key, {"ids": ids}, version=version, timeout=CACHE_SECONDS)
    return entry["ids"]


def _event_countries(now) -> frozenset[int]:
    """The countries with an upcoming published event, cached under the events' version. An
    event leaves the upcoming ones as time passes but joins them only by a change, which moves
    the version on: a country not in the set has none (and its page asks no query for them)."""
    return _countries_with(
        "explore:event-countries",
        events_cached,
        events_cache,
        lambda: (
            Event.objects.published()
            .upcoming(now)
            .filter(country__isnull=False)
            .values_list("country", flat=True)
        ),
    )


def _funding_countries(day) -> frozenset[int]:
    """The countries with published funding open on `day`, cached under the opportunities'
    version for that day (what is open depends on the day alone)."""
    return _countries_with(
        f"explore:funding-countries:{day.isoformat()}",
        opportunities_cached,
        opportunities_cache,
        lambda: (
            Opportunity.objects.published()
            .open_on(day)
            .filter(countries__isnull=False)
            .values_list("countries", flat=True)
        ),
    )


def _country_events(term, now):
    if term.pk not in _event_countries(now):
        return []
    return list(Event.objects.published().filter(country=term.pk).next_up(now)[:EVENTS_SHOWN])


def _country_funding(term, day):
    if term.pk not in _funding_countries(day):
        return []
    opportunities = Opportunity.objects.published().open_on(day).filter(countries=term.pk)
    return [present(row, day) for row in opportunities.closing_first()[:FUNDING_SHOWN]]


@require_safe
def country(request, code: str):
    term = country_term(code)
    chart, errors = _chart_choice(request)
    context = {"explore_section": "statistics", "country": term}
    if errors:
        return _bad_request(request, errors, template="explore/stats_country.html", context=context)
    key = f"explore:country:{get_language()}:{term.pk}"
    version, entry = directory_cached(key)
    if entry is None:
        entry = _country_entry(request, term, version=version)
        directory_cache(key, entry, version=version, timeout=CACHE_SECONDS)
    if chart:
        return _csv(entry["tables"], chart, filename=f"dsi-hub-{term.code.lower()}")
    now = timezone.now()
    return render(
        request,
        "explore/stats_country.html",
        {
            **context,
            "body": _body(entry),
            "events": _country_events(term, now),
            "opportunities": _country_funding(term, timezone.localdate(now)),
        },
    )
