"""Synthetic, published funding opportunities for demonstrations and benchmarks.

Spread like a real funding calendar: mostly grants, then support, investment and incubators;
funders from the directory's organisations or named foundations, programmes and cities; open to
a few kinds of applicant, in a few countries or everywhere; amounts in the funder's currency;
a quarter rolling, the rest opening and closing over the past year and the next. Rows are
written in bulk, with their search text and filter keys computed here rather than one at a time.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from core.models import Status
from directory.models import Country
from directory.models import Organisation
from directory.models import SocialArea
from funding.models import FundingTarget
from funding.models import FundingType
from funding.models import Opportunity
from funding.services import opportunities_changed
from funding.services import opportunity_search_fields

TITLES = [
    "{topic} fund {year}",
    "Open call: {topic}",
    "{funder} grants for {topic}",
    "{city} social innovation accelerator",
    "Seed funding for {topic}",
    "{topic} challenge prize",
    "Small grants for {topic}",
    "{city} civic tech incubator",
    "Impact investment in {topic}",
    "Mentoring programme: {topic}",
    "Co-working residency for {topic}",
    "{topic} fellowship",
]
TOPICS = [
    "open data",
    "digital democracy",
    "civic tech",
    "digital inclusion",
    "open hardware",
    "climate tech",
    "health and care apps",
    "platform cooperatives",
    "data for migration",
    "digital skills",
    "sustainable cities",
    "open source for NGOs",
    "food systems",
    "accessible technology",
    "collaborative economy",
]
CITIES = [
    ("Barcelona", "ES"),
    ("Berlin", "DE"),
    ("Lisbon", "PT"),
    ("London", "GB"),
    ("Milan", "IT"),
    ("Paris", "FR"),
    ("Amsterdam", "NL"),
    ("Vienna", "AT"),
    ("Warsaw", "PL"),
    ("Prague", "CZ"),
    ("Stockholm", "SE"),
    ("Copenhagen", "DK"),
    ("Helsinki", "FI"),
    ("Tallinn", "EE"),
    ("Dublin", "IE"),
    ("Athens", "GR"),
    ("Bucharest", "RO"),
    ("Sofia", "BG"),
    ("Budapest", "HU"),
    ("Zurich", "CH"),
    ("Oslo", "NO"),
]
FUNDERS = [
    "European Innovation Council",
    "Open Society Tech Foundation",
    "Civic Futures Trust",
    "Nordic Digital Commons Fund",
    "Fondazione Innovazione Sociale",
    "Stiftung Digitale Teilhabe",
    "Fundación Tecnología Social",
    "National Lottery Community Fund",
    "Mozilla Foundation",
    "NLnet Foundation",
    "Prototype Fund",
    "Social Innovation Exchange",
]
# Currency by country (elsewhere: euros); a few funders give amounts in dollars.
CURRENCIES = {
    "GB": "GBP",
    "CH": "CHF",
    "SE": "SEK",
    "DK": "DKK",
    "NO": "NOK",
    "PL": "PLN",
    "CZ": "CZK",
    "HU": "HUF",
    "RO": "RON",
    "BG": "BGN",
}
# Rough value of one euro, so amounts look right in every currency.
PER_EURO = {
    "EUR": 1,
    "GBP": 1,
    "CHF": 1,
    "USD": 1,
    "SEK": 10,
    "DKK": 7,
    "NOK": 10,
    "PLN": 4,
    "CZK": 25,
    "HUF": 400,
    "RON": 5,
    "BGN": 2,
}
# Weights of the types of funding, by slug (unknown types: 1).
TYPE_WEIGHTS = {
    "grant-funding": 8,
    "investment-social-investment": 2,
    "incubators-and-accelerators-with-funding": 3,
    "non-financial-support": 3,
    "working-spaces": 1,
    "networking-opportunities": 1,
}
# Smallest amounts (in euros) each type offers; None: no money involved.
AMOUNTS = {
    "grant-funding": [1_000, 5_000, 10_000, 25_000, 50_000],
    "investment-social-investment": [50_000, 100_000, 250_000, 500_000],
    "incubators-and-accelerators-with-funding": [10_000, 20_000, 50_000],
}
EUROPEAN = [
    "AT",
    "BE",
    "DE",
    "DK",
    "ES",
    "FI",
    "FR",
    "GB",
    "GR",
    "IE",
    "IT",
    "NL",
    "PL",
    "PT",
    "SE",
]
BATCH = 2000


@dataclass
class SeedReport:
    opportunities: int


@dataclass
class Vocabularies:
    types: list
    type_weights: list
    targets: list
    countries: dict
    areas: list
    funders: list


def _vocabularies() -> Vocabularies:
    types = list(FundingType.objects.all())
    if not types:
        raise ValueError("There are no types of funding: run the migrations first.")
    return Vocabularies(
        types=types,
        type_weights=[TYPE_WEIGHTS.get(kind.slug, 1) for kind in types],
        targets=list(FundingTarget.objects.all()),
        countries={country.code: country for country in Country.objects.all()},
        areas=list(SocialArea.objects.all()),
        funders=list(Organisation.objects.published().only("pk", "name", "slug", "status")[:500]),
    )


def _amounts(rng: random.Random, kind: FundingType, currency: str):
    choices = AMOUNTS.get(kind.slug)
    if choices is None or rng.random() < 0.1:
        return None, None
    low = Decimal(rng.choice(choices) * PER_EURO[currency])
    high = low * rng.choice([2, 4, 5, 10])
    if rng.random() < 0.2:
        return None, high  # "up to"
    return low, high


def _dates(rng: random.Random, today: dt.date):
    """A quarter rolling (open since some day in the past year); the rest open for two weeks to
    four months, opening any day from a year ago to a year ahead."""
    if rng.random() < 0.25:
        return today - dt.timedelta(days=rng.randint(0, 365)), None
    opens = today + dt.timedelta(days=rng.randint(-365, 365))
    return opens, opens + dt.timedelta(days=rng.choice([14, 21, 30, 45, 60, 90, 120]))


def _opportunity(rng: random.Random, number: int, *, today, now, words: Vocabularies):
    city, code = rng.choice(CITIES)
    topic = rng.choice(TOPICS)
    kind = rng.choices(words.types, weights=words.type_weights)[0]
    funder = rng.choice(words.funders) if words.funders and rng.random() < 0.4 else None
    funder_name = "" if funder else rng.choice([*FUNDERS, f"City of {city}"])
    opens, closes = _dates(rng, today)
    title = rng.choice(TITLES).format(
        topic=topic, city=city, funder=funder.name if funder else funder_name, year=opens.year
    )
    title = (title[0].upper() + title[1:])[:200]
    currency = "USD" if rng.random() < 0.05 else CURRENCIES.get(code, "EUR")
    low, high = _amounts(rng, kind, currency)
    return Opportunity(
        title=title,
        slug=f"{slugify(title)[:200]}-s{number}",
        short_description=f"{kind.name} for {topic} projects, from {funder_name or funder.name}.",
        description=(
            f"<p>Support for teams using open, collaborative technology for {topic}. "
            f"Tell us about your idea and who it helps.</p>"
        ),
        funder=funder,
        funder_name=funder_name,
        funder_website="" if funder else "https://example.org/funders",
        funding_type=kind,
        amount_min=low,
        amount_max=high,
        currency=currency,
        opens_on=opens,
        closes_on=closes,
        link="https://example.org/apply",
        status=Status.PUBLISHED,
        created_at=now,
        published_at=now - dt.timedelta(days=rng.randint(0, 30)),
    ), code


def _relations(rng: random.Random, code: str, words: Vocabularies):
    targets = rng.sample(words.targets, rng.randint(1, min(3, len(words.targets))))
    if rng.random() < 0.4 or not words.countries:
        countries = []  # open everywhere
    else:
        codes = {code, *rng.sample(EUROPEAN, rng.randint(0, 3))}
        countries = [words.countries[c] for c in sorted(codes) if c in words.countries]
    areas = rng.sample(words.areas, rng.randint(1, min(2, len(words.areas)))) if words.areas else []
    return targets, countries, areas


def _insert_pairs(table: str, own: str, other: str, pairs: list[tuple[int, int]]) -> None:
    """Many-to-many rows in one statement: two arrays unnested, not one object a row."""
    if not pairs:
        return
    left, right = zip(*pairs, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ("{own}", "{other}") '  # noqa: S608 - the model's own names
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
            [list(left), list(right)],
        )


@transaction.atomic
def opportunities_seed_demo(*, count: int, seed: int | None = None, today=None) -> SeedReport:
    """Add `count` published opportunities, appending to what is there."""
    rng = random.Random(seed)
    now = timezone.now()
    today = today or timezone.localdate()
    words = _vocabularies()
    # Numbers above every existing id keep the slugs unique however often this runs.
    start = (Opportunity.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    through = {
        name: (
            getattr(Opportunity, name).through._meta.db_table,
            getattr(Opportunity, name).field.m2m_column_name(),
            getattr(Opportunity, name).field.m2m_reverse_name(),
        )
        for name in ("targets", "countries", "social_areas")
    }
    made = 0
    while made < count:
        batch, chosen = [], []
        for i in range(min(BATCH, count - made)):
            opportunity, code = _opportunity(
                rng, start + made + i, today=today, now=now, words=words
            )
            targets, countries, areas = _relations(rng, code, words)
            relations = {"targets": targets, "countries": countries, "social_areas": areas}
            for name, value in opportunity_search_fields(opportunity, **relations).items():
                setattr(opportunity, name, value)
            batch.append(opportunity)
            chosen.append(relations)
        Opportunity.objects.bulk_create(batch)
        for name, (table, own, other) in through.items():
            pairs = [
                (opportunity.pk, row.pk)
                for opportunity, relations in zip(batch, chosen, strict=True)
                for row in relations[name]
            ]
            _insert_pairs(table, own, other, pairs)
        made += len(batch)
    if made:
        opportunities_changed()
    return SeedReport(opportunities=made)
