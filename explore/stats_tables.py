"""The statistics pages' tables, made from the figures (explore.stats): labels from the cached
vocabularies, a column per kind shown, each count linking to the list it counts (the list's
address with the page's filters and that value), and the country rows to their pages."""

import functools
from urllib.parse import quote_plus

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory.vocabularies import vocabulary
from explore.stats import HOTBEDS
from explore.stats import KindFigures
from explore.stats_charts import Row
from explore.stats_charts import Table

LIST_URLS = {"organisation": "directory:organisation_list", "project": "directory:project_list"}
# A chart by year shows at most so many years; earlier ones are summed in its first bar.
YEARS_SHOWN = 40


_kind_names: dict[str, dict[str, str]] = {}


def kind_names() -> dict[str, str]:
    """The kinds' column headers in the active language (asked for by every table)."""
    language = get_language()
    names = _kind_names.get(language)
    if names is None:
        names = {"organisation": _("Organisations"), "project": _("Projects")}
        _kind_names[language] = names
    return names


@functools.lru_cache(maxsize=4096)
def _pair(name: str, value: str) -> str:
    """`name=value` as urlencode writes it (a page links a few hundred counts, mostly to the
    same vocabulary terms)."""
    return f"{name}={quote_plus(value)}"


class Links:
    """The lists' addresses with the page's filters (`query`: pairs) and one value more."""

    def __init__(self, query: list[tuple[str, str]]):
        self.bases = {kind: reverse(name) for kind, name in LIST_URLS.items()}
        self.query = [(key, value) for key, value in query if key not in ("kind", "page")]
        self.chosen = set(self.query)
        self.encoded = urlencode(self.query)  # once: a page links a few hundred counts
        # A city replaces the one chosen (the list takes one).
        self.city_chosen = any(key == "city" for key, _value in self.query)
        self.without_city = urlencode([pair for pair in self.query if pair[0] != "city"])

    def list_url(self, kind: str, name: str | None = None, value: str | None = None) -> str:
        if name is None or (name, value) in self.chosen:
            query = self.encoded
        else:
            added = _pair(name, value)
            kept = self.without_city if name == "city" and self.city_chosen else self.encoded
            query = f"{kept}&{added}" if kept else added
        return f"{self.bases[kind]}?{query}" if query else self.bases[kind]


def country_urls():
    """term -> its country page's address (reversed once per call, not once per country)."""
    prefix, _code, suffix = reverse("explore:country", kwargs={"code": "zz"}).rpartition("zz")
    return lambda term: f"{prefix}{term.code.lower()}{suffix}"


def vocabulary_table(
    name: str,
    title: str,
    header: str,
    figures: dict[str, KindFigures],
    links: Links,
    *,
    label_urls=None,
) -> Table:
    """One row per term of the vocabulary `name` that some kind counts, the biggest first."""
    kinds = list(figures)
    rows = []
    for term in vocabulary(name):
        key = f"{name}:{term.pk}"
        values = tuple(figures[kind].counts.get(key, 0) for kind in kinds)
        if any(values):
            row = Row(
                term.name,
                values,
                url=label_urls(term) if label_urls else "",
                links=tuple(links.list_url(kind, name, term.slug) for kind in kinds),
            )
            rows.append(row)
    rows.sort(key=lambda row: -sum(row.values))
    return Table(name, title, header, tuple(kind_names()[kind] for kind in kinds), rows)


def city_table(figures: dict[str, KindFigures], links: Links, *, title: str) -> Table:
    """The cities with the most profiles (each kind's top ones, counted for every kind)."""
    kinds = list(figures)
    found: dict[str, list] = {}
    for number, kind in enumerate(kinds):
        for value, label, n in figures[kind].cities:
            entry = found.setdefault(value, [label, [0] * len(kinds)])
            entry[1][number] = n
    rows = [
        Row(
            label,
            tuple(values),
            links=tuple(links.list_url(kind, "city", label) for kind in kinds),
        )
        for label, values in found.values()
    ]
    rows.sort(key=lambda row: (-sum(row.values), row.label))
    return Table("city", title, _("City"), tuple(kind_names()[k] for k in kinds), rows[:HOTBEDS])


def _year_rows(figures: dict[str, KindFigures], column: str) -> list[Row]:
    kinds = list(figures)
    years = sorted({year for kind in kinds for year in figures[kind].years[column]})
    if not years:
        return []
    first, last = years[0], years[-1]
    start = max(first, last - YEARS_SHOWN + 1)
    rows = []
    if first < start:
        rows.append(
            Row(
                _("Before %(year)s") % {"year": start},
                tuple(
                    sum(n for year, n in figures[kind].years[column].items() if year < start)
                    for kind in kinds
                ),
            )
        )
    for year in range(start, last + 1):
        rows.append(
            Row(str(year), tuple(figures[kind].years[column].get(year, 0) for kind in kinds))
        )
    return rows


def year_table(name: str, title: str, column: str, figures: dict[str, KindFigures]) -> Table:
    """Profiles by the year they were founded (or started) or joined the directory."""
    kinds = list(figures)
    undated = sum(figures[kind].undated[column] for kind in kinds)
    note = ""
    if undated:
        note = _("%(count)s without a known date are not shown.") % {"count": undated}
    return Table(
        name,
        title,
        _("Year"),
        tuple(kind_names()[kind] for kind in kinds),
        _year_rows(figures, column),
        kind="columns",
        note=note,
    )


def growth_table(figures: dict[str, KindFigures]) -> Table:
    """How many profiles the directory held at the end of each year (by joining year)."""
    kinds = list(figures)
    joined = year_table("growth", "", "joined", figures)
    years = sorted({year for kind in kinds for year in figures[kind].years["joined"]})
    rows, running = [], [0] * len(kinds)
    for year in range(years[0], years[-1] + 1) if years else ():
        for number, kind in enumerate(kinds):
            running[number] += figures[kind].years["joined"].get(year, 0)
        rows.append(Row(str(year), tuple(running)))
    return Table(
        "growth",
        _("Growth of the directory"),
        _("End of year"),
        tuple(kind_names()[kind] for kind in kinds),
        rows,
        kind="line",
        note=joined.note,
    )


def heat_table(figures: KindFigures, *, kind: str) -> Table:
    """Profiles of `kind` by social area (rows) and technology (columns)."""
    counted_areas = {area for area, _tech in figures.heat}
    counted_techs = {tech for _area, tech in figures.heat}
    areas = [term for term in vocabulary("area") if f"area:{term.pk}" in counted_areas]
    techs = [term for term in vocabulary("tech") if f"tech:{term.pk}" in counted_techs]
    rows = [
        Row(
            area.name,
            tuple(figures.heat.get((f"area:{area.pk}", f"tech:{tech.pk}"), 0) for tech in techs),
        )
        for area in areas
    ]
    title = {
        "project": _("Projects by social area and technology"),
        "organisation": _("Organisations by social area and technology"),
    }[kind]
    return Table(
        "heatmap", title, _("Social area"), tuple(t.name for t in techs), rows, kind="heat"
    )


def overview_tables(figures: dict[str, KindFigures], *, query) -> list[Table]:
    """Every chart of the overview, in the page's order, for the kinds in `figures`."""
    links = Links(query)
    tables = [
        growth_table(figures),
        vocabulary_table(
            "country",
            _("Profiles by country"),
            _("Country"),
            figures,
            links,
            label_urls=country_urls(),
        ),
        city_table(figures, links, title=_("Hotbeds: the cities with the most profiles")),
        vocabulary_table("area", _("Profiles by social area"), _("Social area"), figures, links),
        vocabulary_table("tech", _("Profiles by technology"), _("Technology"), figures, links),
        vocabulary_table("focus", _("Profiles by DSI focus"), _("DSI focus"), figures, links),
    ]
    heat_kind = "project" if "project" in figures else "organisation"
    tables.append(heat_table(figures[heat_kind], kind=heat_kind))
    if "organisation" in figures:
        organisations = {"organisation": figures["organisation"]}
        tables += [
            vocabulary_table("type", _("Organisations by type"), _("Type"), organisations, links),
            vocabulary_table("size", _("Organisations by size"), _("Size"), organisations, links),
        ]
    tables += [
        year_table("founded", _("Founded or started, by year"), "founded", figures),
        year_table("joined", _("Joined the directory, by year"), "joined", figures),
    ]
    return tables


def _share(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def compare_table(
    name: str,
    facet: str,
    title: str,
    header: str,
    country: dict[str, KindFigures],
    everywhere: dict[str, KindFigures],
    *,
    country_name: str,
) -> Table:
    """The country's share of profiles in each value of `facet` against the whole directory's
    (organisations and projects together)."""
    country_total = sum(figures.total for figures in country.values())
    total = sum(figures.total for figures in everywhere.values())
    rows = []
    for term in vocabulary(facet):
        key = f"{facet}:{term.pk}"
        here = sum(figures.counts.get(key, 0) for figures in country.values())
        overall = sum(figures.counts.get(key, 0) for figures in everywhere.values())
        if here or overall:
            rows.append(Row(term.name, (here, _share(here, country_total), _share(overall, total))))
    rows.sort(key=lambda row: (-row.values[1], -row.values[2], row.label))
    columns = (
        _("Profiles in %(country)s") % {"country": country_name},
        _("Share in %(country)s") % {"country": country_name},
        _("Share in the whole directory"),
    )
    return Table(name, title, header, columns, rows, kind="compare", percent_columns=(1, 2))


def country_tables(
    country: dict[str, KindFigures], everywhere: dict[str, KindFigures], *, term, links: Links
) -> list[Table]:
    """The country page's charts: its cities, areas and technologies, and how its areas and
    technologies compare with the whole directory's."""
    name = term.name
    return [
        city_table(country, links, title=_("Top cities in %(country)s") % {"country": name}),
        vocabulary_table(
            "area",
            _("Social areas in %(country)s") % {"country": name},
            _("Social area"),
            country,
            links,
        ),
        vocabulary_table(
            "tech",
            _("Technologies in %(country)s") % {"country": name},
            _("Technology"),
            country,
            links,
        ),
        compare_table(
            "compare-area",
            "area",
            _("Social areas: %(country)s compared with the whole directory") % {"country": name},
            _("Social area"),
            country,
            everywhere,
            country_name=name,
        ),
        compare_table(
            "compare-tech",
            "tech",
            _("Technologies: %(country)s compared with the whole directory") % {"country": name},
            _("Technology"),
            country,
            everywhere,
            country_name=name,
        ),
        year_table("joined", _("Joined the directory, by year"), "joined", country),
    ]
