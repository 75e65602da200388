"""Bulk downloads of the published directory: the columns and fast row builders.

Each column is defined once (its name, its Frictionless type, a translatable description and how
to get its value), and the CSV and JSON files, the `datapackage.json` schema and the data page are
all generated from those definitions, so they cannot drift apart. Where the 2017 digitalsocial.eu
export had a field, the column keeps its name (`organisation_name`, `support_tags`, `startDate`...)
so that scripts written against it keep working.

A download is one query whatever its number of rows, read with a server-side cursor as tuples,
plus a few small lookups made once (the countries' codes, the tags' names, the unpublished
profiles of the other kind; the vocabularies come from their cache). A row's vocabulary terms
and tags come from its `facet_keys` (see directory.search), mapped to names in Python; the links
between organisations and projects, and a project's "who we help" tags (which the keys do not
tell apart from its other tags), are array subqueries of the same query. Dates are formatted by
Postgres. The next batch of rows is fetched in a thread while Python writes the current one
(see read_ahead). So memory stays flat and the time per row small, and the file is streamed as
the rows come.

Other apps define downloads of their own with the same machinery (events.exports,
stories.exports, funding.exports): they are listed in EXPORTS, served by the same view and
described in the same Data Package.
"""

import datetime as dt
import json
import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import CharField, Exists, F, Func, OuterRef, QuerySet, Value
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from core.models import LICENCE_URLS, Licence, Status, default_licence
from core.search import facet_key
from directory.filters import OrganisationFilterSet, ProjectFilterSet
from directory.models import Country, Organisation, Project, ProjectOrganisation, Tag
from directory.vocabularies import vocabulary_tables

# Several values in one CSV cell (JSON has real lists).
LIST_SEPARATOR = "; "
# What a spreadsheet would read as the start of a formula: such CSV cells get a leading "'".
FORMULA_STARTS = frozenset("=+-@\t\r")
# Rows per fetch from the cursor. With the read-ahead, up to three batches are held at once:
# 500 rows keep a worker's memory growth to a few megabytes, and are no slower than more.
CHUNK_SIZE = 500
# Rows are sent in pieces of about this many characters (one write per piece, not per row).
PIECE_SIZE = 64 * 1024

# Frictionless Table Schema types.
STRING, INTEGER, NUMBER, BOOLEAN, DATE, DATETIME = (
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
)


class Derived:
    """A value worked out by `function(read, lookups)` from what a row holds: `read` is the value
    named in `reads` (a tuple of them when there are several) and `lookups` what the download
    read once for all rows (see Lookups)."""

    __slots__ = ("function", "reads")

    def __init__(self, function: Callable[[object, "Lookups"], object], *reads: str):
        self.function, self.reads = function, reads


@dataclass(frozen=True)
class Column:
    """One column of a download: `get` is the name of a value the query selects (a model field
    or an annotation of the export), taken as it is, or a Derived value."""

    name: str
    type: str
    description: str
    get: str | Derived
    many: bool = False  # a list: a JSON array, or the values joined by LIST_SEPARATOR in CSV
    format: str | None = None  # Frictionless format, e.g. "uri"
    since_2017: bool = False  # the 2017 export had it, under this name

    def schema(self) -> dict:
        """The Frictionless field of the CSV column (lists are text there)."""
        described = {
            "name": self.name,
            "type": STRING if self.many else self.type,
            "description": str(self.description),
        }
        if self.format and not self.many:
            described["format"] = self.format
        return described


# A row's vocabulary values are found from its filter keys ("area:3") in one pass: each key a
# vocabulary or a tag is known by maps to (kind, order, name, code, pk), see Lookups.facets.
Hit = tuple[str, object, str, str, int]


@dataclass
class Lookups:
    """What rows point at by id, read once per download."""

    facets: dict[str, Hit]
    names: dict[str, dict[int, str]]  # kind -> pk -> English name, for organisations' own keys
    country_codes: dict[int, str]
    tags: dict[int, str]
    hidden: frozenset[int]  # the other kind's profiles that are not published: never linked
    url_prefix: str
    url_suffix: str
    # Project -> tags it lists both as tags and as "who we help" (rare; see project_tags).
    in_both: dict[int, set[int]] = field(default_factory=dict)

    def sorted_tags(self, pks) -> list[str]:
        tags = self.tags
        return sorted((tags[pk] for pk in pks if pk in tags), key=str.casefold)


OTHER_KIND = {"organisation": Project, "project": Organisation}
UNPUBLISHED = [status for status in Status.values if status != Status.PUBLISHED]


def tags_in_both(projects: QuerySet):
    """(project, tag) for the tags that these projects list both as tags and as "who we help"."""
    return (
        Project.tags.through.objects.filter(
            project_id__in=projects.order_by().values("pk"),
        )
        .filter(
            Exists(
                Project.who_we_help.through.objects.filter(
                    project_id=OuterRef("project_id"), tag_id=OuterRef("tag_id")
                )
            )
        )
        .order_by()
        .values_list("project_id", "tag_id")
    )


def vocabulary_lookups() -> dict:
    """What every download names its rows' terms and tags with: the vocabularies (English
    names, from their cache), the countries' codes and the tags' names, as Lookups' fields
    `facets`, `names`, `country_codes` and `tags`. Two queries, whatever the number of rows."""
    with translation.override(settings.LANGUAGE_CODE):
        tables = vocabulary_tables()
    codes = dict(Country.objects.order_by().values_list("pk", "code"))
    tags = dict(Tag.objects.order_by().values_list("pk", "name"))
    facets = {
        facet_key(name, term.pk): (name, position, term.name, codes.get(term.pk, ""), term.pk)
        for name, terms in tables.items()
        for position, term in enumerate(terms)
    }
    for name in ("tag", "network"):
        facets.update(
            (facet_key(name, pk), (name, tag.casefold(), tag, "", pk)) for pk, tag in tags.items()
        )
    return {
        "facets": facets,
        "names": {name: {term.pk: term.name for term in terms} for name, terms in tables.items()},
        "country_codes": codes,
        "tags": tags,
    }


def url_parts(name: str) -> tuple[str, str]:
    """The absolute address of a page named `name` (taking a slug) in English, cut around
    its slug: rows' addresses are then put together without a reverse() each."""
    with translation.override(settings.LANGUAGE_CODE):
        prefix, _slug, suffix = reverse(name, kwargs={"slug": "SLUG"}).rpartition("SLUG")
    return settings.SITE_URL + prefix, suffix


def lookups_for(kind: str, queryset: QuerySet) -> Lookups:
    """The vocabularies, countries and tags (see vocabulary_lookups) and the unpublished
    profiles of the other kind (and for projects, the tags they list twice): one query each
    but for the vocabularies, whatever the number of rows."""
    in_both = {}
    if kind == "project":
        for project, tag in tags_in_both(queryset):
            in_both.setdefault(project, set()).add(tag)
    url_prefix, url_suffix = url_parts(f"directory:{kind}_detail")
    return Lookups(
        **vocabulary_lookups(),
        in_both=in_both,
        hidden=frozenset(
            OTHER_KIND[kind]
            .objects.filter(status__in=UNPUBLISHED)  # not exclude(): this one uses an index
            .order_by()
            .values_list("pk", flat=True)
        ),
        url_prefix=url_prefix,
        url_suffix=url_suffix,
    )


def facet_hits(keys, facets: dict[str, Hit]) -> dict[str, list[Hit]]:
    """A row's vocabulary terms and tags by kind, from its filter keys."""
    found: dict[str, list[Hit]] = {}
    for key in keys:
        hit = facets.get(key)
        if hit is not None:
            kind = hit[0]
            if kind in found:
                found[kind].append(hit)
            else:
                found[kind] = [hit]
    return found


# --- Values the query selects beyond the model's fields ----------------------------------------


def formatted(name: str, pattern: str, *, utc: bool = True) -> Func:
    """A date or moment as text, written by Postgres: parsing 100,000s of them into Python
    objects only to write them out again would take most of a download's time."""
    source = Func(Value("UTC"), F(name), function="timezone") if utc else F(name)
    return Func(source, Value(pattern), function="to_char", output_field=CharField())


ISO_MOMENT = 'YYYY-MM-DD"T"HH24:MI:SS"Z"'  # how Frictionless writes datetimes by default


def dates(*names: str) -> dict:
    """The profile's dates as YYYY-MM-DD, its creation day in UTC (as the 2017 export gave it)
    and the moments of publication and change in UTC."""
    return {
        **{f"{name}_text": formatted(name, "YYYY-MM-DD", utc=False) for name in names},
        "created_day": formatted("created_at", "YYYY-MM-DD"),
        "published_utc": formatted("published_at", ISO_MOMENT),
        "updated_utc": formatted("updated_at", ISO_MOMENT),
    }


# --- Derived values: functions of (what they read, lookups) -------------------------------------
# A row's filter keys are turned into hits once (see Export.row_builder), read as "facet_hits".


def published_links(pks, lookups) -> list[int]:
    hidden = lookups.hidden
    return sorted(pk for pk in pks if pk not in hidden) if hidden else sorted(pks)


def vocabulary_name(kind: str) -> Callable:
    def name(pk, lookups) -> str:
        return lookups.names[kind].get(pk, "") if pk is not None else ""

    return name


def facet_names(kind: str) -> Callable:
    """The names of a kind of vocabulary term (or tag), in their display order."""

    def names(hits, lookups) -> list[str]:
        found = hits.get(kind)
        return [hit[2] for hit in sorted(found)] if found else []

    return names


def first_country(hits, lookups) -> str:
    found = hits.get("country")
    return min(found)[2] if found else ""


def country_codes(hits, lookups) -> list[str]:
    found = hits.get("country")
    return [hit[3] for hit in sorted(found)] if found else []


def country_code(pk, lookups) -> str:
    return lookups.country_codes.get(pk, "") if pk is not None else ""


def who_we_help(pks, lookups) -> list[str]:
    return lookups.sorted_tags(pks)


def project_tags(read, lookups) -> list[str]:
    """A project's own tags: its filter keys hold them together with "who we help", so those
    are set aside, unless the project lists them as tags too."""
    hits, who, pk = read
    found = hits.get("tag")
    if not found:
        return []
    if who:
        keep = lookups.in_both.get(pk, ())
        found = [hit for hit in found if hit[4] not in who or hit[4] in keep]
    return [hit[2] for hit in sorted(found)]


def page_url(slug, lookups) -> str:
    return lookups.url_prefix + slug + lookups.url_suffix


LICENCE_NAMES = dict(Licence.choices)


def licence_name(licence, lookups) -> str:
    return LICENCE_NAMES.get(licence, licence)


def licence_url(licence, lookups) -> str:
    return LICENCE_URLS.get(licence, "")


# --- The two downloads -------------------------------------------------------------------------


def _licence_description():
    return _(
        "The licence of the record's content, by its short name: records added on the hub are "
        "under the site's licence (CC BY 4.0 unless the site says otherwise), records imported "
        "from the 2017 digitalsocial.eu export under CC BY-NC-SA 4.0."
    )


def _common_tail(legacy_description: str) -> list[Column]:
    return [
        Column(
            "published",
            DATETIME,
            _("When the profile was published on the hub, in UTC (YYYY-MM-DDThh:mm:ssZ)."),
            "published_utc",
        ),
        Column(
            "updated",
            DATETIME,
            _("When the profile last changed, in UTC (YYYY-MM-DDThh:mm:ssZ)."),
            "updated_utc",
        ),
        Column("licence", STRING, _licence_description(), Derived(licence_name, "licence")),
        Column(
            "licence_url",
            STRING,
            _("The address of the licence's text."),
            Derived(licence_url, "licence"),
            format="uri",
        ),
        Column("legacy_id", INTEGER, legacy_description, "legacy_id"),
    ]


_END = object()


def read_ahead(rows: Iterator, *, size: int) -> Iterator:
    """The rows, with the next `size` of them fetched in a thread while these are written.

    Postgres then works on the next batch while Python writes this one, instead of each waiting
    for the other: a download takes a third less time. The first batch is fetched here, so the
    query runs on this thread's connection, in its transaction; the thread only pulls further
    rows from that cursor (a psycopg connection may be used from any thread, one call at a
    time, and this thread leaves it alone meanwhile). Closing this generator stops the thread
    and then closes `rows`, here, before the transaction ends."""
    batch = list(islice(rows, size))
    if len(batch) < size:  # all there is: no thread needed
        yield from batch
        return
    handed = queue.Queue(maxsize=1)
    stop = threading.Event()

    def fetch():
        try:
            while not stop.is_set():
                following = list(islice(rows, size))
                handed.put(following or _END)
                if not following:
                    return
        except BaseException as error:  # handed over, and raised by the reader
            handed.put(error)

    thread = threading.Thread(target=fetch, name="download-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            yield from batch
            batch = handed.get()
            if batch is _END:
                return
            if isinstance(batch, BaseException):
                raise batch
    finally:
        stop.set()
        while thread.is_alive():  # free a put() that waits for room, until the thread ends
            try:
                handed.get_nowait()
            except queue.Empty:
                thread.join(0.01)
        if hasattr(rows, "close"):
            rows.close()


@dataclass(frozen=True)
class Export:
    """One kind of download (organisations, projects, events...): its query and its columns."""

    kind: str  # the model's name: "organisation", "project", "event"
    plural: str
    title: str
    description: str
    filterset_class: type
    fields: tuple[str, ...]  # model fields the columns read
    columns: tuple[Column, ...]
    annotations: Callable[[], dict] = field(default=dict)
    # Whether the whole, unfiltered download is the same file until published content changes,
    # and so may be kept (directory.download_files): not when it depends on the clock.
    kept: bool = True
    # What a kept file is made for: a content version (a number that only grows), and a text
    # for whatever else makes the rows differ under one version (for stories, the latest
    # scheduled moment that has come). None: the directory's version alone.
    kept_version: Callable[[], tuple[int, str]] | None = None
    # How long browsers and proxies may keep a download, given the longest (in seconds):
    # less when the rows follow the clock (a scheduled story coming out). None: the longest.
    max_age: Callable[[int], int] | None = None

    @property
    def model(self):
        return self.filterset_class._meta.model

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def schema(self) -> dict:
        id_column = self.columns[0].name
        fields = [column.schema() for column in self.columns]
        fields[0]["constraints"] = {"required": True, "unique": True}
        return {"fields": fields, "primaryKey": id_column, "missingValues": [""]}

    def lookups(self, queryset: QuerySet) -> Lookups:
        """What the rows point at by id, read once before them."""
        return lookups_for(self.kind, queryset)

    def values(self, queryset: QuerySet) -> tuple[QuerySet, list[str]]:
        """The query for the rows' values (as tuples, the cheapest to make) and their names."""
        annotations = self.annotations()
        names = [*self.fields, *annotations]
        return queryset.annotate(**annotations).values_list(*names), names

    def row_builder(self, names: list[str]) -> Callable[[tuple, Lookups], list]:
        """A function that makes a row's list of values, in column order, from the tuple the
        query gives: the values taken as they are in one call, then the derived ones."""
        at = {name: i for i, name in enumerate([*names, "facet_hits"])}
        columns = self.columns
        taken = itemgetter(*(at[c.get] if isinstance(c.get, str) else 0 for c in columns))
        derived = [
            (i, c.get.function, itemgetter(*(at[name] for name in c.get.reads)))
            for i, c in enumerate(columns)
            if isinstance(c.get, Derived)
        ]
        keys = at["facet_keys"]

        def build(row: tuple, lookups: Lookups) -> list:
            row = (*row, facet_hits(row[keys], lookups.facets))
            values = list(taken(row))
            for i, function, read in derived:
                values[i] = function(read(row), lookups)
            return values

        return build

    def rows(self, queryset: QuerySet, lookups: Lookups) -> Iterator[list]:
        """Each row's values (JSON-ready), in column order, read with a server-side cursor.

        The cursor lives in a transaction so that Postgres hands rows over as it finds them (in
        autocommit it would have to hold the whole result before sending the first one). The
        query is planned for reading every row (Postgres plans a cursor's query for the first
        tenth: a filtered download would then walk the whole table in name order, three times
        slower than sorting what the filter finds), and without JIT compilation, which costs a
        quarter of a second on every large query and buys nothing for a scan."""
        query, names = self.values(queryset)
        build = self.row_builder(names)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('cursor_tuple_fraction', '1', true),"
                    " set_config('jit', 'off', true)"
                )
            found = read_ahead(query.iterator(chunk_size=CHUNK_SIZE), size=CHUNK_SIZE)
            try:
                for row in found:
                    yield build(row, lookups)
            finally:
                found.close()  # a download cut short closes its cursor inside the transaction


# The links are read without joining the other side (its unpublished profiles are left out in
# Python, see Lookups.hidden) nor sorting: the join would triple the query's time.


def _organisation_annotations():
    return {
        **dates("start_date"),
        "linked_ids": ArraySubquery(
            ProjectOrganisation.objects.filter(organisation=OuterRef("pk"))
            .order_by()
            .values("project_id")
        ),
    }


def _project_annotations():
    return {
        **dates("start_date", "end_date"),
        "linked_ids": ArraySubquery(
            ProjectOrganisation.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("organisation_id")
        ),
        # The filter keys hold tags and "who we help" alike: this tells them apart.
        "who_we_help_ids": ArraySubquery(
            Project.who_we_help.through.objects.filter(project_id=OuterRef("pk")).values("tag_id")
        ),
    }


def _place_columns() -> list[Column]:
    return [
        Column(
            "region",
            STRING,
            _("The city or town (the 2017 export's name for it; the same as city)."),
            "city",
            since_2017=True,
        ),
        Column("city", STRING, _("The city or town, as written on the profile."), "city"),
        Column(
            "latitude",
            NUMBER,
            _("Latitude of the place, in decimal degrees (WGS 84)."),
            "latitude",
            since_2017=True,
        ),
        Column(
            "longitude",
            NUMBER,
            _("Longitude of the place, in decimal degrees (WGS 84)."),
            "longitude",
            since_2017=True,
        ),
    ]


ORGANISATIONS = Export(
    kind="organisation",
    plural="organisations",
    title=_("Organisations"),
    description=_(
        "The published organisations of the directory of digital social innovation: one row each."
    ),
    filterset_class=OrganisationFilterSet,
    fields=(
        "id",
        "name",
        "slug",
        "website",
        "short_description",
        "description",
        "city",
        "latitude",
        "longitude",
        "address",
        "country_id",
        "organisation_type_id",
        "organisation_size_id",
        "links",
        "licence",
        "legacy_id",
        "facet_keys",
    ),
    annotations=_organisation_annotations,
    columns=(
        Column(
            "organisation_id",
            INTEGER,
            _(
                "The organisation's id on the hub; it never changes. Projects refer to it in "
                "linked_organisation_ids."
            ),
            "id",
            since_2017=True,
        ),
        Column(
            "organisation_name",
            STRING,
            _("The organisation's name."),
            "name",
            since_2017=True,
        ),
        Column(
            "slug",
            STRING,
            _("The organisation's short name in addresses, unique among organisations."),
            "slug",
        ),
        Column(
            "url",
            STRING,
            _("The address of the organisation's page on the hub (in English)."),
            Derived(page_url, "slug"),
            format="uri",
        ),
        Column(
            "website",
            STRING,
            _("The organisation's own website."),
            "website",
            format="uri",
            since_2017=True,
        ),
        Column(
            "short_description",
            STRING,
            _("What the organisation does, in one sentence."),
            "short_description",
            since_2017=True,
        ),
        Column(
            "long_description",
            STRING,
            _("The full description, as HTML limited to text, lists and links."),
            "description",
            since_2017=True,
        ),
        Column(
            "country",
            STRING,
            _("The country, by its English name."),
            Derived(vocabulary_name("country"), "country_id"),
            since_2017=True,
        ),
        Column(
            "country_code",
            STRING,
            _("The country's two-letter ISO 3166-1 code."),
            Derived(country_code, "country_id"),
        ),
        *_place_columns(),
        Column(
            "address",
            STRING,
            _("The postal address, when the organisation gives one."),
            "address",
            since_2017=True,
        ),
        Column(
            "organisation_type",
            STRING,
            _(
                "The kind of organisation, by its English name (the 2017 export gave an object "
                "with an id and a name)."
            ),
            Derived(vocabulary_name("type"), "organisation_type_id"),
            since_2017=True,
        ),
        Column(
            "organisation_size",
            STRING,
            _("How many people work there, by the English name of the range."),
            Derived(vocabulary_name("size"), "organisation_size_id"),
            since_2017=True,
        ),
        Column(
            "startDate",
            DATE,
            _("When the organisation was founded (YYYY-MM-DD)."),
            "start_date_text",
            since_2017=True,
        ),
        Column(
            "linked_project_ids",
            INTEGER,
            _("The ids (project_id) of the published projects the organisation takes part in."),
            Derived(published_links, "linked_ids"),
            many=True,
            since_2017=True,
        ),
        Column(
            "tags",
            STRING,
            _("Free tags describing the organisation's work."),
            Derived(facet_names("tag"), "facet_hits"),
            many=True,
            since_2017=True,
        ),
        Column(
            "networkTags",
            STRING,
            _("Networks the organisation belongs to."),
            Derived(facet_names("network"), "facet_hits"),
            many=True,
            since_2017=True,
        ),
        Column(
            "links",
            STRING,
            _("Other pages of the organisation, such as its social media accounts."),
            "links",
            many=True,
            format="uri",
        ),
        Column(
            "created",
            DATE,
            _("When the profile was created (YYYY-MM-DD, UTC)."),
            "created_day",
            since_2017=True,
        ),
        *_common_tail(
            _(
                "The organisation's id on digitalsocial.eu (organisation_id in the 2017 export), "
                "for the records imported from it; empty for the others."
            )
        ),
    ),
)


PROJECTS = Export(
    kind="project",
    plural="projects",
    title=_("Projects"),
    description=_(
        "The published projects of the directory of digital social innovation: one row each."
    ),
    filterset_class=ProjectFilterSet,
    fields=(
        "id",
        "name",
        "slug",
        "website",
        "short_description",
        "description",
        "social_impact",
        "city",
        "latitude",
        "longitude",
        "live",
        "links",
        "licence",
        "legacy_id",
        "facet_keys",
    ),
    annotations=_project_annotations,
    columns=(
        Column(
            "project_id",
            INTEGER,
            _(
                "The project's id on the hub; it never changes. Organisations refer to it in "
                "linked_project_ids."
            ),
            "id",
            since_2017=True,
        ),
        Column("project_name", STRING, _("The project's name."), "name", since_2017=True),
        Column(
            "slug",
            STRING,
            _("The project's short name in addresses, unique among projects."),
            "slug",
        ),
        Column(
            "url",
            STRING,
            _("The address of the project's page on the hub (in English)."),
            Derived(page_url, "slug"),
            format="uri",
        ),
        Column(
            "website",
            STRING,
            _("The project's own website."),
            "website",
            format="uri",
            since_2017=True,
        ),
        Column(
            "short_description",
            STRING,
            _("What the project does, in one sentence."),
            "short_description",
            since_2017=True,
        ),
        Column(
            "long_description",
            STRING,
            _("The full description, as HTML limited to text, lists and links."),
            "description",
            since_2017=True,
        ),
        Column(
            "social_impact",
            STRING,
            _("The difference the project makes, as HTML limited to text, lists and links."),
            "social_impact",
            since_2017=True,
        ),
        Column(
            "start_date",
            DATE,
            _("When the project started (YYYY-MM-DD)."),
            "start_date_text",
            since_2017=True,
        ),
        Column(
            "end_date",
            DATE,
            _("When the project ended or will end (YYYY-MM-DD); empty if it is ongoing."),
            "end_date_text",
            since_2017=True,
        ),
        Column(
            "live",
            BOOLEAN,
            _("Whether the project is still running (true) or has come to an end (false)."),
            "live",
        ),
        Column(
            "country",
            STRING,
            _(
                "The project's first country by English name (the 2017 export had one country "
                "per project); see countries for all of them."
            ),
            Derived(first_country, "facet_hits"),
            since_2017=True,
        ),
        Column(
            "countries",
            STRING,
            _("Every country the project works in, by English name."),
            Derived(facet_names("country"), "facet_hits"),
            many=True,
        ),
        Column(
            "country_codes",
            STRING,
            _("The two-letter ISO 3166-1 codes of those countries, in the same order."),
            Derived(country_codes, "facet_hits"),
            many=True,
        ),
        *_place_columns(),
        Column(
            "linked_organisation_ids",
            INTEGER,
            _("The ids (organisation_id) of the published organisations behind the project."),
            Derived(published_links, "linked_ids"),
            many=True,
            since_2017=True,
        ),
        Column(
            "who_we_help_tags",
            STRING,
            _("The people the project helps, as free tags."),
            Derived(who_we_help, "who_we_help_ids"),
            many=True,
            since_2017=True,
        ),
        Column(
            "support_tags",
            STRING,
            _("The areas of social impact the project works in, by English name."),
            Derived(facet_names("area"), "facet_hits"),
            many=True,
            since_2017=True,
        ),
        Column(
            "focus",
            STRING,
            _("The open-technology trends of digital social innovation the project follows."),
            Derived(facet_names("focus"), "facet_hits"),
            many=True,
            since_2017=True,
        ),
        Column(
            "technology",
            STRING,
            _("The technologies the project uses, by English name."),
            Derived(facet_names("tech"), "facet_hits"),
            many=True,
            since_2017=True,
        ),
        Column(
            "tags",
            STRING,
            _("Free tags describing the project."),
            Derived(project_tags, "facet_hits", "who_we_help_ids", "id"),
            many=True,
        ),
        Column(
            "networkTags",
            STRING,
            _("Networks the project belongs to."),
            Derived(facet_names("network"), "facet_hits"),
            many=True,
        ),
        Column(
            "links",
            STRING,
            _("Other pages of the project, such as its social media accounts."),
            "links",
            many=True,
            format="uri",
        ),
        Column(
            "creation_date",
            DATE,
            _("When the profile was created (YYYY-MM-DD, UTC)."),
            "created_day",
            since_2017=True,
        ),
        *_common_tail(
            _(
                "The project's id on digitalsocial.eu (project_id in the 2017 export), for the "
                "records imported from it; empty for the others."
            )
        ),
    ),
)


class ExportRegistry(Mapping):
    """The downloads by their plural name, in order: the directory's own, then those other apps
    define, named by dotted path and imported on first use (they build on this module, so it
    cannot import them itself)."""

    def __init__(self, exports, *, elsewhere: tuple[str, ...] = ()):
        self._exports = {export.plural: export for export in exports}
        self._elsewhere = elsewhere

    def _all(self) -> dict:
        if self._elsewhere:
            for path in self._elsewhere:
                export = import_string(path)
                self._exports[export.plural] = export
            self._elsewhere = ()
        return self._exports

    def __getitem__(self, plural: str) -> Export:
        return self._all()[plural]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


EXPORTS = ExportRegistry(
    (ORGANISATIONS, PROJECTS),
    elsewhere=("events.exports.EVENTS", "stories.exports.STORIES", "funding.exports.FUNDING"),
)


# --- Writing the files -------------------------------------------------------------------------


def _pieces(lines: Iterator[str]) -> Iterator[bytes]:
    """Lines gathered into pieces of about PIECE_SIZE characters, as UTF-8."""
    held, size = [], 0
    for line in lines:
        held.append(line)
        size += len(line)
        if size >= PIECE_SIZE:
            yield "".join(held).encode()
            held, size = [], 0
    if held:
        yield "".join(held).encode()


def csv_line(cells: list) -> str:
    """One CSV record, as csv.writer would write it (excel dialect, minimal quoting) but twice as
    fast: lists joined by LIST_SEPARATOR, booleans as true and false, nothing for missing
    values, and text that a spreadsheet would run as a formula (= + - @, a tab or a carriage
    return first) prefixed with an apostrophe."""
    out = []
    append = out.append
    for cell in cells:
        kind = cell.__class__
        if kind is not str:
            if kind is list:
                if not cell:
                    append("")
                    continue
                cell = LIST_SEPARATOR.join(cell if cell[0].__class__ is str else map(str, cell))
            elif cell is None:
                append("")
                continue
            elif kind is bool:
                append("true" if cell else "false")
                continue
            else:
                append(str(cell))
                continue
        elif not cell:
            append(cell)
            continue
        if cell[0] in FORMULA_STARTS:
            cell = "'" + cell
        if '"' in cell:
            cell = '"' + cell.replace('"', '""') + '"'
        elif "," in cell or "\n" in cell or "\r" in cell:
            cell = '"' + cell + '"'
        append(cell)
    return ",".join(out) + "\r\n"


def json_rows(export: Export, rows: Iterator[list]) -> Iterator[str]:
    """The objects of a JSON array, one per line, and the array's end."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    names = export.header
    separator = "\n"
    for row in rows:
        yield separator + encode(dict(zip(names, row, strict=True)))
        separator = ",\n"
    yield "\n]\n"


@dataclass(frozen=True)
class FileFormat:
    extension: str
    content_type: str
    head: Callable[[Export], str]  # what comes before the rows
    body: Callable[[Export, Iterator[list]], Iterator[str]]  # the rows, and whatever ends the file


FORMATS = {
    "csv": FileFormat(
        "csv",
        "text/csv; charset=utf-8",
        head=lambda export: csv_line(export.header),
        body=lambda export, rows: map(csv_line, rows),
    ),
    "json": FileFormat("json", "application/json", head=lambda export: "[", body=json_rows),
}


def stream(export: Export, file_format: FileFormat, queryset: QuerySet) -> Iterator[bytes]:
    """A whole file, as UTF-8 pieces: its head at once, before any query runs, then the lookups
    and the rows as the database hands them over."""
    yield file_format.head(export).encode()
    rows = export.rows(queryset, export.lookups(queryset))
    try:
        yield from _pieces(file_format.body(export, rows))
    finally:
        rows.close()  # at once, when the download is cut short: its cursor and thread end


def download_filename(export: Export, file_format: FileFormat, today: dt.date) -> str:
    return f"dsi-hub-{export.plural}-{today.isoformat()}.{file_format.extension}"


# --- The Data Package --------------------------------------------------------------------------

LEGACY_SOURCE_URL = "https://digitalsocial.eu/"


def _licence(value: str) -> dict:
    """A Frictionless licence: its Open Definition id, title and address."""
    return {"name": value, "title": LICENCE_NAMES[value], "path": LICENCE_URLS[value]}


def site_licence() -> dict:
    """The licence new contributions are published under (settings.CONTENT_LICENCE)."""
    return _licence(default_licence())


def legacy_licence() -> dict:
    """The licence of the records imported from the 2017 export."""
    return _licence(Licence.CC_BY_NC_SA_4)


CSV_DIALECT = {
    "delimiter": ",",
    "quoteChar": '"',
    "doubleQuote": True,
    "lineTerminator": "\r\n",
    "header": True,
}


def datapackage_descriptor() -> dict:
    """A Frictionless Data Package (v1) describing every download, with the CSVs' schemas
    generated from the column definitions (so they always match the files' headers)."""
    site = settings.SITE_URL
    licences = [site_licence()]
    if legacy_licence()["name"] != licences[0]["name"]:
        licences.append(legacy_licence())
    resources = []
    for export in EXPORTS.values():
        resources.append(
            {
                "name": f"{export.plural}-csv",
                "title": str(export.title),
                "description": str(export.description)
                + " "
                + str(
                    _("Several values in one cell are separated by “%(separator)s”.")
                    % {"separator": LIST_SEPARATOR}
                ),
                "profile": "tabular-data-resource",
                "path": site + reverse(f"data:{export.plural}_csv"),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": CSV_DIALECT,
                "schema": export.schema(),
            }
        )
        resources.append(
            {
                "name": f"{export.plural}-json",
                "title": str(export.title),
                "description": str(export.description)
                + " "
                + str(
                    _(
                        "A JSON array of objects with the same fields as the CSV file; lists "
                        "are JSON arrays and missing values null."
                    )
                ),
                "profile": "data-resource",
                "path": site + reverse(f"data:{export.plural}_json"),
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
            }
        )
    return {
        "profile": "data-package",
        "name": "dsi-hub-directory",
        "title": str(
            _("%(site)s: directory of digital social innovation") % {"site": settings.SITE_NAME}
        ),
        "description": str(
            _(
                "The published organisations, projects, events, stories and funding "
                "opportunities of the %(site)s, the directory of digital social innovation in "
                "Europe that continues digitalsocial.eu. Each row carries its own licence."
            )
            % {"site": settings.SITE_NAME}
        ),
        "homepage": site + reverse("directory_pages:data"),
        "keywords": ["digital social innovation", "civic tech", "tech for good", "Europe"],
        "licenses": licences,
        "sources": [
            {
                "title": str(_("Contributors to the %(site)s") % {"site": settings.SITE_NAME}),
                "path": site + "/",
            },
            {
                "title": str(_("digitalsocial.eu (DSI4EU) open-data export, 2017")),
                "path": LEGACY_SOURCE_URL,
            },
        ],
        "resources": resources,
    }
