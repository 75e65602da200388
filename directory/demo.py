"""A synthetic, published directory for demonstrations and benchmarks.

`directory_seed_demo()` makes organisations and projects spread like the original platform's
data: most in a few big cities (London, Paris, Amsterdam, Barcelona, Berlin...), a long tail of
smaller cities across Europe, vocabularies and free tags with a few common values and many rare
ones (a Zipf-like spread), descriptions with accented words, lead and partner links, and dates
over nine years. The table of cities holds aggregate weights only, not the real data.

It is built for volume: rows are generated in Python, their search text and filter keys are
computed with `profile_search_fields` from the rows generated alongside, and everything is written
with COPY (ids reserved from the tables' sequences first), so 100,000 organisations and 100,000
projects take minutes, not hours. Slugs never collide with existing ones: running it twice appends.
"""

import bisect
import itertools
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta

from django.db import connection
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core.models import Status
from core.models import default_licence
from directory.demo_words import ACCENTED
from directory.demo_words import ADJECTIVES
from directory.demo_words import CITIES
from directory.demo_words import LOCAL_NOUNS
from directory.demo_words import LOCAL_PREFIXES
from directory.demo_words import NETWORK_NAMES
from directory.demo_words import NOUNS
from directory.demo_words import OBJECTS
from directory.demo_words import ORG_KINDS
from directory.demo_words import PROJECT_KINDS
from directory.demo_words import STREETS
from directory.demo_words import SYLLABLE_HEADS
from directory.demo_words import SYLLABLE_TAILS
from directory.demo_words import TAG_NAMES
from directory.demo_words import TECH_PHRASES
from directory.demo_words import TOPIC_WORDS
from directory.demo_words import VERBS
from directory.demo_words import WHO_WE_HELP
from directory.models import Country
from directory.models import DSIFocus
from directory.models import Organisation
from directory.models import OrganisationSize
from directory.models import OrganisationType
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.models import SocialArea
from directory.models import Technology
from directory.search import links_reindex
from directory.search import profile_search_fields
from directory.services.profiles import RESERVED_SLUGS
from directory.services.profiles import tags_from_names
from directory.versions import directory_changed

SEED_YEARS = 9
COPY_BATCH = 5000


@dataclass
class SeedReport:
    """What a seeding run wrote, and how long it took."""

    organisations: int = 0
    projects: int = 0
    tags: int = 0
    links: int = 0
    seconds: float = 0.0
    steps: dict = field(default_factory=dict)


class _Picker:
    """Weighted random choice from a fixed list, in O(log n) per draw."""

    def __init__(self, rng: random.Random, items: list, weights: list[float]):
        self.rng = rng
        self.items = items
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def one(self):
        return self.items[bisect.bisect(self.cumulative, self.rng.random() * self.total)]

    def some(self, count: int) -> list:
        """Up to `count` distinct items."""
        chosen = []
        for _ in range(count * 3):
            item = self.one()
            if item not in chosen:
                chosen.append(item)
                if len(chosen) == count:
                    break
        return chosen


def _zipf(count: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


class _Named:
    """A vocabulary row or tag as search indexing reads it (pk and name), resolved once."""

    __slots__ = ("pk", "name")

    def __init__(self, row):
        self.pk, self.name = row.pk, str(row)

    def __str__(self):
        return self.name

    def __eq__(self, other):
        return isinstance(other, _Named) and other.pk == self.pk

    def __hash__(self):
        return hash(self.pk)


def _named(rows) -> list[_Named]:
    return [_Named(row) for row in rows]


class _Row:
    """What profile_search_fields reads from a profile, without a model instance."""

    __slots__ = (
        "kind",
        "name",
        "short_description",
        "description",
        "city",
        "latitude",
        "longitude",
        "country",
        "address",
        "organisation_type_id",
        "organisation_size_id",
        "social_impact",
        "live",
    )

    def __init__(self, kind: str, **values):
        self.kind = kind
        self.country = None
        self.address = ""
        self.organisation_type_id = None
        self.organisation_size_id = None
        self.social_impact = ""
        self.live = True
        for name, value in values.items():
            setattr(self, name, value)

    @classmethod
    def of(cls, kind: str, columns: dict, **values) -> "_Row":
        """The row of a profile whose shared columns are `columns` (profile_columns), with
        what else of its own kind is indexed (`values`)."""
        return cls(
            kind,
            name=columns["name"],
            short_description=columns["short_description"],
            description=columns["description"],
            city=columns["city"],
            latitude=columns["latitude"],
            longitude=columns["longitude"],
            **values,
        )


class _Slugs:
    """Readable slugs that collide with no existing one ("open-lab", "open-lab-2")."""

    def __init__(self, model):
        self.kind = model._meta.model_name
        self.taken = set(model.objects.values_list("slug", flat=True)) | RESERVED_SLUGS
        self.next_number = defaultdict(lambda: 2)

    def new(self, name: str) -> str:
        base = (slugify(name) or self.kind)[:200].strip("-")
        slug = base
        while slug in self.taken:
            slug = f"{base}-{self.next_number[base]}"
            self.next_number[base] += 1
        self.taken.add(slug)
        return slug


class _Generator:
    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now
        self.cities = _Picker(rng, CITIES, [city[4] for city in CITIES])
        self.countries = {country.code: _Named(country) for country in Country.objects.all()}
        codes = sorted({c[1] for c in CITIES} & set(self.countries))
        self.country_picker = _Picker(
            rng,
            [self.countries[code] for code in codes],
            [sum(c[4] for c in CITIES if c[1] == code) for code in codes],
        )
        # Real data: mostly non-profits and small teams.
        types = list(OrganisationType.objects.all())
        self.types = _Picker(rng, types, ([45, 20, 15, 12, 8] + [5] * len(types))[: len(types)])
        sizes = list(OrganisationSize.objects.all())
        self.sizes = _Picker(rng, sizes, _zipf(len(sizes), 0.8))
        areas = _named(SocialArea.objects.all())
        self.areas = _Picker(rng, areas, _zipf(len(areas), 0.6))
        technologies = _named(Technology.objects.all())
        self.technologies = _Picker(rng, technologies, _zipf(len(technologies), 0.7))
        focus = _named(DSIFocus.objects.all())
        self.focus = _Picker(rng, focus, _zipf(len(focus), 0.5))
        tags = _named(tags_from_names(TAG_NAMES))
        self.tags = _Picker(rng, tags, _zipf(len(tags), 1.05))
        networks = _named(tags_from_names(NETWORK_NAMES))
        self.networks = _Picker(rng, networks, _zipf(len(networks)))
        who = _named(tags_from_names(WHO_WE_HELP))
        self.who = _Picker(rng, who, _zipf(len(who), 0.8))
        self.topics = _Picker(rng, TOPIC_WORDS, _zipf(len(TOPIC_WORDS), 1.1))
        self.tag_count = len({tag.pk for tag in (*tags, *networks, *who)})
        self.licence = default_licence()
        self.span = timedelta(days=365 * SEED_YEARS).total_seconds()

    # -- pieces
    def place(self):
        city, code, latitude, longitude, _ = self.cities.one()
        rng = self.rng
        return (
            city,
            self.countries.get(code),
            round(latitude + rng.gauss(0, 0.03), 6),
            round(longitude + rng.gauss(0, 0.04), 6),
        )

    def coined(self) -> str:
        rng = self.rng
        return (rng.choice(SYLLABLE_HEADS) + rng.choice(SYLLABLE_TAILS)).capitalize()

    def one_of(self, *makers, cum_weights: tuple[float, ...]) -> str:
        """The name one of the makers makes, drawn with one random number by cumulative weights
        ((0.35, 0.6, 1.0): the first makes 35% of the names, the second 25%, the last 40%)."""
        return self.rng.choices(makers, cum_weights=cum_weights)[0]()

    def organisation_name(self, city: str) -> str:
        rng = self.rng
        return self.one_of(
            lambda: f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(ORG_KINDS)}",
            lambda: f"{rng.choice(NOUNS)} {rng.choice(ORG_KINDS)} {city}",
            lambda: f"{rng.choice(LOCAL_PREFIXES)} {rng.choice(LOCAL_NOUNS)}",
            lambda: f"{self.coined()} {rng.choice(ORG_KINDS)}",
            lambda: f"{self.coined()} {city}",
            cum_weights=(0.35, 0.6, 0.75, 0.9, 1),
        )

    def project_name(self, city: str) -> str:
        rng = self.rng
        return self.one_of(
            lambda: f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(PROJECT_KINDS)}",
            self.coined,
            lambda: f"{city} {rng.choice(NOUNS)} {rng.choice(PROJECT_KINDS)}",
            lambda: f"{rng.choice(NOUNS)} for {self.who.one().name.title()}",
            lambda: f"{rng.choice(LOCAL_NOUNS)} {rng.choice(PROJECT_KINDS)}",
            lambda: f"{self.coined()}: {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}",
            cum_weights=(0.3, 0.5, 0.65, 0.8, 0.9, 1),
        )

    def sentence(self, name: str, city: str, country: str) -> str:
        rng = self.rng
        pattern = rng.randrange(8)
        if pattern == 0:
            return f"{name} is based in {city}, {country}."
        if pattern == 1:
            return (
                f"We work with {self.who.one().name} to {rng.choice(VERBS)} "
                f"{rng.choice(OBJECTS)} through {rng.choice(TECH_PHRASES)}."
            )
        if pattern == 2:
            return (
                f"Founded in {rng.randint(1995, 2024)}, we bring together "
                f"{self.who.one().name} and {self.who.one().name} around {self.topics.one()}."
            )
        if pattern == 3:
            return (
                f"Our {rng.choice(PROJECT_KINDS).lower()} uses {rng.choice(TECH_PHRASES)} "
                f"to {rng.choice(VERBS)} {rng.choice(OBJECTS)} and {self.topics.one()}."
            )
        if pattern == 4:
            return (
                f"Partners in {rng.choice(ACCENTED)} and {rng.choice(ACCENTED)} help us "
                f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}."
            )
        if pattern == 5:
            return (
                f"Since {rng.randint(2008, 2024)} more than {rng.randint(2, 900) * 10} people "
                f"have joined our workshops on {self.topics.one()} and {self.topics.one()}."
            )
        if pattern == 6:
            return (
                f"Everything we make is {rng.choice(ADJECTIVES).lower()}, "
                f"{rng.choice(ADJECTIVES).lower()} and shared under an open licence."
            )
        return (
            f"The {rng.choice(NOUNS).lower()} we {rng.choice(VERBS)} become "
            f"{rng.choice(OBJECTS)} for {self.who.one().name} in {city}."
        )

    def description(self, name: str, city: str, country: str) -> tuple[str, str]:
        """A one-line summary and 40-120 words of rich text in a few paragraphs."""
        rng = self.rng
        target = rng.randint(40, 120)
        sentences, words = [], 0
        while words < target:
            sentence = self.sentence(name, city or "Europe", country or "Europe")
            sentences.append(sentence)
            words += sentence.count(" ") + 1
        cut = max(1, len(sentences) // 2)
        paragraphs = [" ".join(sentences[:cut]), " ".join(sentences[cut:])]
        html = "".join(f"<p>{text}</p>" for text in paragraphs if text)
        return sentences[0][:300], html

    def moment(self) -> tuple[datetime, datetime, datetime]:
        """created, published and updated, over the last nine years."""
        rng = self.rng
        created = self.now - timedelta(seconds=rng.random() * self.span)
        published = min(self.now, created + timedelta(hours=rng.random() * 240))
        updated = published + (self.now - published) * (rng.random() ** 3)
        return created, published, updated

    def profile_columns(self, slugs: _Slugs, pk: int, name: str, place: tuple) -> dict:
        """The columns organisations and projects share, drawn alike for both once the place
        (city, country, latitude, longitude) and the name are: slug, descriptions and dates."""
        city, country, latitude, longitude = place
        short, description = self.description(name, city, country.name if country else "")
        created, published, updated = self.moment()
        return {
            "id": pk,
            "name": name,
            "slug": slugs.new(name),
            "short_description": short,
            "description": description,
            "city": city,
            "latitude": latitude,
            "longitude": longitude,
            "licence": self.licence,
            "created_at": created,
            "updated_at": updated,
            "submitted_at": created,
            "published_at": published,
        }

    def some_date(self, first_year: int, last: date) -> date:
        start = date(first_year, 1, 1)
        return start + timedelta(days=self.rng.randrange(max(1, (last - start).days)))

    def count(self, weights: list[int]) -> int:
        return self.rng.choices(range(len(weights)), weights=weights)[0]


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.generated and not f.primary_key]


def _reserve_ids(model, count: int) -> list[int]:
    """Ids from the table's own sequence, so rows can be linked before they are written."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(table: str, columns: list[str], rows) -> int:
    written = 0
    with connection.cursor() as cursor:
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
    return written


def _profile_defaults() -> dict:
    return {
        "links": [],
        "logo": "",
        "header_image": "",
        "status": Status.PUBLISHED.value,
        "rejection_reason": "",
        "spam_score": 0,
        "spam_signals": json.dumps([]),
        "created_by_id": None,
        "legacy_id": None,
    }


def _write_profiles(model, rows: list[dict], relations: dict[str, list[tuple]]) -> None:
    columns = ["id", *_columns(model)]
    missing = set(columns) - set(rows[0]) if rows else set()
    if missing:
        raise RuntimeError(f"The seeder does not fill {sorted(missing)} of {model.__name__}.")
    _copy(model._meta.db_table, columns, ([row[c] for c in columns] for row in rows))
    for relation, pairs in relations.items():
        through = getattr(model, relation).through
        source, target = (f.column for f in through._meta.concrete_fields if f.is_relation)
        _copy(through._meta.db_table, [source, target], pairs)


def _organisations(gen: _Generator, count: int, log) -> tuple[list[int], dict]:
    rng = gen.rng
    ids = _reserve_ids(Organisation, count)
    slugs = _Slugs(Organisation)
    rows, by_country = [], defaultdict(list)
    relations = {"tags": [], "network_tags": []}
    defaults = _profile_defaults()
    today = gen.now.date()
    for number, pk in enumerate(ids, 1):
        city, country, latitude, longitude = gen.place()
        if rng.random() < 0.03:  # some profiles give no place at all
            city, country, latitude, longitude = "", None, None, None
        name = gen.organisation_name(city or rng.choice(CITIES)[0])
        shared = gen.profile_columns(slugs, pk, name, (city, country, latitude, longitude))
        tags = gen.tags.some(gen.count([20, 25, 20, 15, 10, 6, 4]))
        networks = gen.networks.some(gen.count([70, 22, 8]))
        row = _Row.of(
            "organisation",
            shared,
            country=country,
            address=f"{rng.randint(1, 250)} {rng.choice(STREETS)}",
            organisation_type_id=gen.types.one().pk,
            organisation_size_id=gen.sizes.one().pk if rng.random() < 0.9 else None,
        )
        search = profile_search_fields(row, tags={"tags": tags, "network_tags": networks})
        rows.append(
            {
                **defaults,
                **shared,
                "website": f"https://{shared['slug']}.example.org/",
                "country_id": country.pk if country else None,
                "address": row.address,
                "organisation_type_id": row.organisation_type_id,
                "organisation_size_id": row.organisation_size_id,
                "start_date": gen.some_date(1980, today) if rng.random() < 0.7 else None,
                **search,
            }
        )
        relations["tags"].extend((pk, tag.pk) for tag in tags)
        relations["network_tags"].extend((pk, tag.pk) for tag in networks)
        by_country[country.pk if country else None].append(pk)
        if number % COPY_BATCH == 0 or number == count:
            _write_profiles(Organisation, rows, relations)
            rows, relations = [], {"tags": [], "network_tags": []}
            log(f"  organisations: {number:,}/{count:,}")
    return ids, by_country


def _projects(gen: _Generator, count: int, organisations: tuple, log) -> int:
    rng = gen.rng
    org_ids, orgs_by_country = organisations
    ids = _reserve_ids(Project, count)
    slugs = _Slugs(Project)
    rows, links, linked = [], [], 0
    names = ("countries", "social_areas", "technologies", "focus", "who_we_help", "tags")
    relations = {name: [] for name in (*names, "network_tags")}
    defaults = _profile_defaults()
    today = gen.now.date()
    for number, pk in enumerate(ids, 1):
        city, country, latitude, longitude = gen.place()
        if rng.random() < 0.05:
            city, latitude, longitude = "", None, None
        countries = [country] if country else []
        for extra in gen.country_picker.some(gen.count([80, 12, 5, 3])):
            if extra not in countries:
                countries.append(extra)
        name = gen.project_name(city or "Europe")
        shared = gen.profile_columns(slugs, pk, name, (city, country, latitude, longitude))
        start = gen.some_date(2005, today) if rng.random() < 0.85 else None
        live = rng.random() < 0.75
        end = None
        if not live and start is not None:
            end = min(today, start + timedelta(days=rng.randint(90, 6 * 365)))
        related = {
            "countries": countries,
            "social_areas": gen.areas.some(rng.randint(1, 3)),
            "technologies": gen.technologies.some(rng.randint(1, 4)),
            "focus": gen.focus.some(gen.count([25, 45, 22, 8])),
            "who_we_help": gen.who.some(gen.count([30, 35, 25, 10])),
            "tags": gen.tags.some(gen.count([25, 25, 20, 15, 10, 5])),
            "network_tags": gen.networks.some(gen.count([75, 20, 5])),
        }
        social_impact = gen.sentence(name, city or "Europe", country.name if country else "")
        row = _Row.of("project", shared, social_impact=social_impact, live=live)
        search = profile_search_fields(row, tags=related)
        rows.append(
            {
                **defaults,
                **shared,
                "website": f"https://{shared['slug']}.example.org/" if rng.random() < 0.8 else "",
                "social_impact": f"<p>{social_impact}</p>",
                "live": live,
                "start_date": start,
                "end_date": end,
                **search,
            }
        )
        for relation, values in related.items():
            relations[relation].extend((pk, value.pk) for value in values)
        if org_ids:
            nearby = orgs_by_country.get(country.pk if country else None) or org_ids
            partners = [rng.choice(nearby if rng.random() < 0.7 else org_ids)]
            partners += [rng.choice(org_ids) for _ in range(gen.count([45, 30, 15, 10]))]
            for position, organisation in enumerate(dict.fromkeys(partners)):
                if position == 0 and rng.random() < 0.1:
                    continue  # a few projects have partners but no lead
                role = ProjectOrganisation.Role.LEAD if position == 0 else "partner"
                links.append((pk, organisation, str(role)))
        if number % COPY_BATCH == 0 or number == count:
            _write_profiles(Project, rows, relations)
            table = ProjectOrganisation._meta.db_table
            linked += _copy(table, ["project_id", "organisation_id", "role"], links)
            rows, links = [], []
            relations = {name: [] for name in relations}
            log(f"  projects: {number:,}/{count:,}")
    return linked


@transaction.atomic
def directory_seed_demo(
    *,
    organisations: int,
    projects: int,
    seed: int | None = None,
    log: Callable[[str], None] | None = None,
) -> SeedReport:
    """Add a synthetic, published directory: `organisations` and `projects` new profiles.

    The same seed gives the same names and spread (slugs still dodge existing ones). Projects
    link to the organisations made in the same run, or to existing published ones.
    """
    log = log or (lambda message: None)
    report = SeedReport()
    started = time.monotonic()
    gen = _Generator(random.Random(seed), timezone.now())
    report.tags = gen.tag_count
    report.steps["vocabularies"] = time.monotonic() - started

    step = time.monotonic()
    org_ids, by_country = _organisations(gen, organisations, log)
    report.organisations = len(org_ids)
    report.steps["organisations"] = time.monotonic() - step

    if not org_ids:  # link new projects to organisations already published
        by_country = defaultdict(list)
        for pk, country in Organisation.objects.published().values_list("pk", "country_id"):
            by_country[country].append(pk)
        org_ids = [pk for pks in by_country.values() for pk in pks]
    step = time.monotonic()
    report.links = _projects(gen, projects, (org_ids, by_country), log)
    report.projects = projects
    report.steps["projects"] = time.monotonic() - step

    step = time.monotonic()
    # Statistics of the rows just written first (this transaction's own: autovacuum cannot see
    # them): without them the planner runs the linked keys' subquery as scans of the link
    # tables per row, minutes at 100,000 rows against seconds.
    tables = [
        Organisation._meta.db_table,
        Project._meta.db_table,
        ProjectOrganisation._meta.db_table,
        *(
            Project._meta.get_field(name).remote_field.through._meta.db_table
            for name in ("countries", "social_areas", "technologies", "focus")
        ),
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")
    # Keys taken from linked profiles (an organisation's areas, a project's inferred countries).
    links_reindex(everything=True)
    report.steps["linked keys"] = time.monotonic() - step
    log("  keys from linked profiles")

    directory_changed()
    report.seconds = time.monotonic() - started
    return report
