"""The records of the digitalsocial.eu (DSI4EU, 2017) export: checked, parsed, and matched to
today's vocabularies, before directory.services.importing writes them (see its docstring)."""

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from dataclasses import field

import pycountry
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.search import fold
from directory.models import Country

REVISION_COMMENT = "Imported from the 2017 digitalsocial.eu export"
UNKNOWN_DATE = dt.date(1970, 1, 1)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_PROBLEMS = 20
MAX_ID = 2**31 - 1

# Country names of the 2017 export that neither ISO 3166 nor pycountry spell that way.
COUNTRY_ALIASES = {
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "turkey": "TR",
    "usa": "US",
    "us": "US",
    "holland": "NL",
    "macedonia": "MK",
    "swaziland": "SZ",
}

# Field kinds: how each key of a record is checked and parsed.
ID, NAME, TEXT, COORDINATE, DATE_FIELD, ID_LIST, NAMES, NAMED = (
    "id",
    "name",
    "text",
    "coordinate",
    "date",
    "id list",
    "names",
    "named",
)
ORGANISATION_FIELDS = {
    "organisation_id": ID,
    "organisation_name": NAME,
    "website": TEXT,
    "short_description": TEXT,
    "long_description": TEXT,
    "country": TEXT,
    "region": TEXT,
    "latitude": COORDINATE,
    "longitude": COORDINATE,
    "address": TEXT,
    "organisation_type": NAMED,
    "organisation_size": TEXT,
    "startDate": DATE_FIELD,
    "linked_project_ids": ID_LIST,
    "tags": NAMES,
    "networkTags": NAMES,
    "created": DATE_FIELD,
}
PROJECT_FIELDS = {
    "project_id": ID,
    "project_name": NAME,
    "website": TEXT,
    "short_description": TEXT,
    "long_description": TEXT,
    "social_impact": TEXT,
    "start_date": DATE_FIELD,
    "end_date": DATE_FIELD,
    "country": TEXT,
    "region": TEXT,
    "latitude": COORDINATE,
    "longitude": COORDINATE,
    "linked_organisation_ids": ID_LIST,
    "who_we_help_tags": NAMES,
    "support_tags": NAMES,
    "focus": NAMES,
    "technology": NAMES,
    "networkTags": NAMES,
    "creation_date": DATE_FIELD,
}
FIELDS = {"organisations": ORGANISATION_FIELDS, "projects": PROJECT_FIELDS}
ID_KEYS = {"organisations": "organisation_id", "projects": "project_id"}


@dataclass
class Problem:
    kind: str  # "organisations" or "projects": which file
    index: int | None  # position of the record in the file (0-based), None for the whole file
    legacy_id: object
    message: str

    def __str__(self):
        if self.index is None:
            return self.message
        where = _("record %(number)d") % {"number": self.index + 1}
        if self.legacy_id is not None:
            where += f" ({ID_KEYS[self.kind]} {self.legacy_id!r})"
        return f"{where}: {self.message}"


class ImportDataError(ValueError):
    """The export does not have the expected shape; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{problem.kind}: {problem}" for problem in problems))


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    mapped: Counter = field(default_factory=Counter)
    technology_variants: Counter = field(default_factory=Counter)
    kept_as_tags: Counter = field(default_factory=Counter)
    dropped_values: Counter = field(default_factory=Counter)
    countries_not_found: Counter = field(default_factory=Counter)
    coordinates_dropped: list = field(default_factory=list)
    dates_unknown: Counter = field(default_factory=Counter)
    end_dates_dropped: list = field(default_factory=list)
    links_made: int = 0
    links_existing: int = 0
    links_skipped: Counter = field(default_factory=Counter)
    cities_renamed: Counter = field(default_factory=Counter)
    held_for_review: list = field(default_factory=list)
    revision: bool = False

    def revision_comment(self) -> str:
        """The import's history comment: what it is, and the city names it wrote otherwise (the
        original spellings, kept in the history of every profile it imported)."""
        if not self.cities_renamed:
            return REVISION_COMMENT
        renamed = "; ".join(
            f"{value} ({count})" for value, count in sorted(self.cities_renamed.items())
        )
        return f"{REVISION_COMMENT}. Cities as the gazetteer names them: {renamed}"

    def review_lines(self) -> list[str]:
        """What a review of the profiles imported earlier changed, as lines to read."""
        lines = []
        if self.cities_renamed:
            lines.append(_("Cities written as the gazetteer names them") + ":")
            lines.extend(
                f"  {value}: {count}" for value, count in self.cities_renamed.most_common()
            )
        if self.held_for_review:
            lines.append(_("Held back for review (imported as pending, not published)") + ":")
            lines.extend(f"  {item}" for item in self.held_for_review)
        return lines or [_("Nothing to change.")]

    def lines(self) -> list[str]:
        """The report, as lines for people to read."""
        lines = []
        for kind in ("organisations", "projects"):
            lines.append(
                _("%(kind)s: %(created)d created, %(skipped)d skipped (already imported)")
                % {"kind": kind, "created": self.created[kind], "skipped": self.skipped[kind]}
            )
        lines.append(
            _(
                "Links between organisations and projects: %(made)d made, "
                "%(existing)d already there, %(skipped)d skipped"
            )
            % {
                "made": self.links_made,
                "existing": self.links_existing,
                "skipped": sum(self.links_skipped.values()),
            }
        )
        sections = [
            (_("Values mapped to today's vocabulary"), self.mapped),
            (_("Technologies matched by spelling variant"), self.technology_variants),
            (_("Unknown values kept as free tags"), self.kept_as_tags),
            (
                _("Values left out (no match in the vocabulary, or bare numbers)"),
                self.dropped_values,
            ),
            (_("Countries not found (left empty)"), self.countries_not_found),
            (_("Dates treated as unknown"), self.dates_unknown),
            (_("Links skipped (id in neither file nor the directory)"), self.links_skipped),
            (_("Cities written as the gazetteer names them"), self.cities_renamed),
        ]
        for title, counts in sections:
            if counts:
                lines.append(f"{title}:")
                lines.extend(f"  {value}: {count}" for value, count in counts.most_common())
        for title, items in (
            (_("Coordinates dropped (out of range)"), self.coordinates_dropped),
            (_("End dates dropped (before the start date)"), self.end_dates_dropped),
            (
                _("Held back for review (imported as pending, not published)"),
                self.held_for_review,
            ),
        ):
            if items:
                lines.append(f"{title}:")
                lines.extend(f"  {item}" for item in items)
        if not self.revision:
            lines.append(_("No history revision was recorded (nothing new)."))
        return lines


# --- Checking and parsing the records ----------------------------------------------------------


def _parse(kind: str, value):
    """The parsed value, or raise ValueError with what is wrong."""
    if kind == ID:
        if type(value) is not int or not 0 < value <= MAX_ID:
            raise ValueError(_("must be a positive whole number, not %(value)r") % {"value": value})
        return value
    if kind in (NAME, TEXT):
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ValueError(_("must be text, not %(value)r") % {"value": value})
        value = value.strip()
        if kind == NAME and not value:
            raise ValueError(_("must not be empty"))
        return value
    if kind == COORDINATE:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(_("must be a number or empty, not %(value)r") % {"value": value})
        try:
            return float(value)
        except ValueError:
            raise ValueError(
                _("must be a number or empty, not %(value)r") % {"value": value}
            ) from None
    if kind == DATE_FIELD:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not DATE.match(value):
            raise ValueError(_("must be a date (YYYY-MM-DD), not %(value)r") % {"value": value})
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("is not a real date: %(value)r") % {"value": value}) from None
    if kind == ID_LIST:
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError(_("must be a list of ids, not %(value)r") % {"value": value})
        ids = []
        for item in value:
            if type(item) is int and 0 < item <= MAX_ID:
                ids.append(item)
            elif isinstance(item, str) and item.strip().isdigit():
                ids.append(int(item.strip()))
            else:
                raise ValueError(
                    _("must list ids as whole numbers, not %(value)r") % {"value": item}
                )
        return ids
    if kind == NAMES:
        if value is None or value == "":
            return []
        if not isinstance(value, list):
            raise ValueError(_("must be a list, not %(value)r") % {"value": value})
        return [_parse(NAMED, item) or "" for item in value]
    if kind == NAMED:  # {"id": ..., "name": "..."}, a plain string, or empty
        if value is None or value == "":
            return ""
        if isinstance(value, dict):
            value = value.get("name")
            if value is None:
                return ""
        if not isinstance(value, str):
            raise ValueError(_('must be text or {"id", "name"}, not %(value)r') % {"value": value})
        return " ".join(value.split())
    raise AssertionError(kind)


def dsi4eu_check(*, organisations, projects) -> dict[str, list[dict]]:
    """Every record checked and parsed, or ImportDataError listing what is wrong and where."""
    problems = []
    parsed = {}
    for kind, records in (("organisations", organisations), ("projects", projects)):
        if not isinstance(records, list):
            problems.append(
                Problem(kind, None, None, _("the file must hold a JSON list of records"))
            )
            continue
        id_key = ID_KEYS[kind]
        seen = set()
        rows = []
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                problems.append(Problem(kind, index, None, _("is not a JSON object")))
                continue
            legacy_id = record.get(id_key)
            row = {}
            for key, kind_of_field in FIELDS[kind].items():
                if key not in record:
                    if kind_of_field in (ID, NAME):
                        problems.append(
                            Problem(
                                kind, index, legacy_id, _("“%(key)s” is missing") % {"key": key}
                            )
                        )
                        continue
                    row[key] = _parse(kind_of_field, None)
                    continue
                try:
                    row[key] = _parse(kind_of_field, record[key])
                except ValueError as error:
                    problems.append(Problem(kind, index, legacy_id, f"“{key}” {error}"))
            if type(legacy_id) is int:
                if legacy_id in seen:
                    problems.append(Problem(kind, index, legacy_id, _("the id appears twice")))
                seen.add(legacy_id)
            rows.append(row)
        parsed[kind] = rows
    if problems:
        raise ImportDataError(problems[:MAX_PROBLEMS])
    return parsed


# --- Matching values to the vocabularies --------------------------------------------------------


def _key(text: str) -> str:
    """Case, accents, punctuation and spacing set aside: "Peer-to-peer" == "peer to  peer"."""
    return " ".join(re.findall(r"\w+", fold(text).replace("_", " ")))


class VocabularyMatcher:
    """A vocabulary's rows by every spelling of their names (English names and aliases)."""

    def __init__(self, rows):
        self.by_key = {}
        self.aliases = set()
        for row in rows:
            name = getattr(row, "name_en", None) or row.name
            row.english = name
            self.by_key.setdefault(_key(name), row)
            for alias in getattr(row, "aliases", None) or []:
                self.by_key.setdefault(_key(alias), row)
                self.aliases.add(_key(alias))

    def get(self, value: str):
        """(row, how): how is "exact", "alias" (a former name) or "variant" (another spelling)."""
        key = _key(value)
        row = self.by_key.get(key)
        if row is None:
            return None, None
        if value == row.english:
            return row, "exact"
        return row, "alias" if key in self.aliases else "variant"


class CountryMatcher:
    def __init__(self):
        countries = list(Country.objects.all())
        by_code = {country.code: country for country in countries}
        self.by_key = {}
        for country in countries:
            for name in (getattr(country, "name_en", None), country.name):
                if name:
                    self.by_key.setdefault(_key(name), country)
        for record in pycountry.countries:
            country = by_code.get(record.alpha_2)
            if country is None:
                continue
            for attribute in ("name", "official_name", "common_name"):
                name = getattr(record, attribute, None)
                if name:
                    self.by_key.setdefault(_key(name), country)
        for alias, code in COUNTRY_ALIASES.items():
            if code in by_code:
                self.by_key.setdefault(alias, by_code[code])
        self.cache = {}

    def get(self, name: str):
        if name not in self.cache:
            self.cache[name] = self._find(name)
        return self.cache[name]

    def _find(self, name: str):
        key = _key(name)
        if key in self.by_key:
            return self.by_key[key]
        try:
            record = pycountry.countries.lookup(name)
        except LookupError:
            record = None
        if record is not None:
            found = self.by_key.get(_key(record.name))
            if found:
                return found
        # "Macedonia, the former Yugoslav Republic of": the part before the comma, when it names
        # exactly one country as a whole word ("North Macedonia").
        head = _key(name.split(",")[0])
        if head in self.by_key:
            return self.by_key[head]
        if head:
            pattern = re.compile(rf"\b{re.escape(head)}\b")
            found = {country for key, country in self.by_key.items() if pattern.search(key)}
            if len(found) == 1:
                return found.pop()
        return None


def tag_slug(name: str) -> str:
    """The slug tags_from_names gives a name."""
    return slugify(" ".join(str(name).split())[:100], allow_unicode=True)[:120]
