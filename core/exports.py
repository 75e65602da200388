"""The engine of bulk downloads: columns, fast row builders, CSV and JSON writers, and the
registry of every app's downloads.

Each column is defined once (its name, its Frictionless type, a translatable description and how
to get its value), and the CSV and JSON files, the `datapackage.json` schema and the data page are
all generated from those definitions, so they cannot drift apart.

A download is one query whatever its number of rows, read with a server-side cursor as tuples,
plus a few small lookups made once (see each app's Export.lookups). A row's vocabulary terms and
tags come from its `facet_keys` (see core.search), mapped to names in Python. Dates are
formatted by Postgres. The next batch of rows is fetched in a thread while Python writes the
current one (see read_ahead). So memory stays flat and the time per row small, and the file is
streamed as the rows come.

Each app registers its downloads from its AppConfig.ready() (register_export); the
configuration package serves them all under /data/ and describes them in one Data Package.
"""

import datetime as dt
import json
import queue
import threading
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from itertools import islice
from operator import itemgetter

from django.conf import settings
from django.db import connection
from django.db import transaction
from django.db.models import CharField
from django.db.models import F
from django.db.models import Func
from django.db.models import QuerySet
from django.db.models import Value
from django.urls import reverse
from django.utils import translation

from core import geojson
from core.hosts import site_url
from core.html import sanitize_html
from core.models import LICENCE_URLS
from core.models import Licence
from core.models import default_licence

# Several values in one CSV cell (JSON has real lists).
LIST_SEPARATOR = "; "
# What a spreadsheet would read as the start of a formula: such CSV cells get a leading "'".
FORMULA_STARTS = frozenset("=+-@\t\r")
# Rows per fetch from the cursor. With the read-ahead, up to three batches are held at once:
# 500 rows keep a worker's memory growth to a few megabytes, and are no slower than more.
CHUNK_SIZE = 500
# Rows are sent in pieces of about this many characters (one write per piece, not per row).
PIECE_SIZE = 64 * 1024

# The filter keys every download's query selects (see core.search), and the name under which
# columns read the terms and tags found from them (see facet_hits).
FACET_KEYS, FACET_HITS = "facet_keys", "facet_hits"

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
    or an annotation of the export), taken as it is, or a Derived value; the column's own name
    where it is not given."""

    name: str
    type: str
    description: str
    get: str | Derived | None = None
    many: bool = False  # a list: a JSON array, or the values joined by LIST_SEPARATOR in CSV
    format: str | None = None  # Frictionless format, e.g. "uri"
    since_2017: bool = False  # the 2017 export had it, under this name

    def __post_init__(self):
        if self.get is None:
            object.__setattr__(self, "get", self.name)

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
    # For content submitted to the hub (events, funding, stories): the address of a linked
    # organisation's page, cut around its slug, and the site's licence for contributions.
    organisation_prefix: str = ""
    organisation_suffix: str = ""
    licence: str = ""
    licence_url: str = ""

    def sorted_tags(self, pks) -> list[str]:
        tags = self.tags
        return sorted((tags[pk] for pk in pks if pk in tags), key=str.casefold)


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


def url_parts(name: str) -> tuple[str, str]:
    """The absolute address of a page named `name` (taking a slug) in English, cut around
    its slug: rows' addresses are then put together without a reverse() each."""
    with translation.override(settings.LANGUAGE_CODE):
        prefix, _slug, suffix = reverse(name, kwargs={"slug": "SLUG"}).rpartition("SLUG")
    return site_url() + prefix, suffix


def page_url(slug, lookups) -> str:
    return lookups.url_prefix + slug + lookups.url_suffix


LICENCE_NAMES = dict(Licence.choices)


def licence_name(licence, lookups) -> str:
    return LICENCE_NAMES.get(licence, licence)


def licence_url(licence, lookups) -> str:
    return LICENCE_URLS.get(licence, "")


def site_licence_name(_pk, lookups) -> str:
    """The site's licence for contributions (Lookups.licence), for content that has no
    licence of its own."""
    return lookups.licence


def site_licence_url(_pk, lookups) -> str:
    return lookups.licence_url


def cleaned_html(html, lookups) -> str:
    """Cleaned again, as on the item's page: an admin save or a revert may have stored any
    HTML."""
    return sanitize_html(html)


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
    """One kind of download (organisations, projects, events...): its query and its columns.

    What the query selects follows from the columns: the model fields they read (see fields)
    and the export's annotations."""

    plural: str
    title: str
    description: str
    filterset_class: type
    columns: tuple[Column, ...]
    annotations: Callable[[], dict] = field(default=dict)
    # Whether the whole, unfiltered download is the same file until published content changes,
    # and so may be kept (core.download_files): not when it depends on the clock.
    kept: bool = True
    # What a kept file is made for: a content version (a number that only grows), and a text
    # for whatever else makes the rows differ under one version (for stories, the latest
    # scheduled moment that has come). Needed where `kept` is true.
    kept_version: Callable[[], tuple[int, str]] | None = None
    # Where the download stands among the others (the data page, the Data Package).
    order: int = 0
    # How long browsers and proxies may keep a download, given the longest (in seconds):
    # less when the rows follow the clock (a scheduled story coming out). None: the longest.
    max_age: Callable[[int], int] | None = None
    # For a download of things with a place (latitude and longitude columns): the properties
    # of its GeoJSON features, as (property name, column name) pairs (see core.geojson).
    geo: tuple[tuple[str, str], ...] = ()

    @property
    def file_formats(self) -> tuple[str, ...]:
        """The formats it is served in (the keys of FORMATS)."""
        return ("csv", "json", "geojson") if self.geo else ("csv", "json")

    @property
    def model(self):
        return self.filterset_class._meta.model

    @property
    def kind(self) -> str:
        """The model's name: "organisation", "project", "event"..."""
        return self.model._meta.model_name

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def schema(self) -> dict:
        id_column = self.columns[0].name
        fields = [column.schema() for column in self.columns]
        fields[0]["constraints"] = {"required": True, "unique": True}
        return {"fields": fields, "primaryKey": id_column, "missingValues": [""]}

    def lookups(self, queryset: QuerySet) -> Lookups:
        """What the rows point at by id, read once before them (each app's export says)."""
        raise NotImplementedError

    def fields(self, annotations: Mapping) -> list[str]:
        """The model fields the columns read, in the order they first name them, and the row's
        filter keys (see row_builder): all that the columns read but `annotations` (what the
        export selects beyond the model) and the facet hits worked out from the keys."""
        read = {}  # a dict for its order
        for column in self.columns:
            get = column.get
            for name in get.reads if isinstance(get, Derived) else (get,):
                read[name] = None
        read.pop(FACET_HITS, None)
        read.setdefault(FACET_KEYS)
        return [name for name in read if name not in annotations]

    def values(self, queryset: QuerySet) -> tuple[QuerySet, list[str]]:
        """The query for the rows' values (as tuples, the cheapest to make) and their names."""
        annotations = self.annotations()
        names = [*self.fields(annotations), *annotations]
        return queryset.annotate(**annotations).values_list(*names), names

    def row_builder(self, names: list[str]) -> Callable[[tuple, Lookups], list]:
        """A function that makes a row's list of values, in column order, from the tuple the
        query gives: the values taken as they are in one call, then the derived ones."""
        at = {name: i for i, name in enumerate([*names, FACET_HITS])}
        columns = self.columns
        taken = itemgetter(*(at[c.get] if isinstance(c.get, str) else 0 for c in columns))
        derived = [
            (i, c.get.function, itemgetter(*(at[name] for name in c.get.reads)))
            for i, c in enumerate(columns)
            if isinstance(c.get, Derived)
        ]
        keys = at[FACET_KEYS]

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


# --- The registry ------------------------------------------------------------------------------


class ExportRegistry(Mapping):
    """Every app's downloads by their plural name, in their order (Export.order). Apps add theirs
    from their AppConfig.ready(); the configuration package serves and describes them all."""

    def __init__(self):
        self._exports: dict[str, Export] = {}

    def register(self, export: Export) -> None:
        self._exports[export.plural] = export
        self._exports = dict(sorted(self._exports.items(), key=lambda item: item[1].order))

    def __getitem__(self, plural: str) -> Export:
        return self._exports[plural]

    def __iter__(self):
        return iter(self._exports)

    def __len__(self) -> int:
        return len(self._exports)


EXPORTS = ExportRegistry()
register_export = EXPORTS.register


def download_url(plural: str, file_format: str) -> str:
    """The address of a registered download: the configuration package serves each one under
    the URL name data:<plural>_<format> (dsi_hub/urls_data.py)."""
    return reverse(f"data:{plural}_{file_format}")


# --- Writing the files -------------------------------------------------------------------------


def pieces(lines: Iterable[str]) -> Iterator[bytes]:
    """Lines (or any strings) gathered into pieces of about PIECE_SIZE characters, as UTF-8:
    what a streamed download sends."""
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
    # The export as this format reads it (fewer columns), where not the whole of it.
    view: Callable[[Export], Export] | None = None


FORMATS = {
    "csv": FileFormat(
        "csv",
        "text/csv; charset=utf-8",
        head=lambda export: csv_line(export.header),
        body=lambda export, rows: map(csv_line, rows),
    ),
    "json": FileFormat("json", "application/json", head=lambda export: "[", body=json_rows),
    "geojson": FileFormat(
        "geojson", geojson.MEDIA_TYPE, geojson.geojson_head, geojson.geojson_body, geojson.geo_view
    ),
}


def stream(export: Export, file_format: FileFormat, queryset: QuerySet) -> Iterator[bytes]:
    """A whole file, as UTF-8 pieces: its head at once, before any query runs, then the lookups
    and the rows as the database hands them over.

    The database is reached here, before the response starts: one that is down makes a 503
    (core.outages), not a 200 cut short after its head."""
    connection.cursor().close()  # connects, or checks a kept connection
    return _pieces_of(export, file_format, queryset)


def _pieces_of(export: Export, file_format: FileFormat, queryset: QuerySet) -> Iterator[bytes]:
    if file_format.view is not None:
        export = file_format.view(export)
    yield file_format.head(export).encode()
    rows = export.rows(queryset, export.lookups(queryset))
    try:
        yield from pieces(file_format.body(export, rows))
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
