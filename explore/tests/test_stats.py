"""The statistics' figures (explore.stats): totals, disjunctive counts,
hotbed cities, founding and joining years and the area-by-technology grid equal a brute-force
count over the rows on random filters, from the facet index and from Postgres while there is
no index."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import urlencode

from core.facets.live import every_index_reset
from core.models import Status
from core.search import city_value
from directory.facets import city_labels
from directory.models import Organisation
from directory.models import Project
from directory.search import profile_search_fields
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from directory.vocabularies import vocabulary
from explore.stats import HOTBEDS
from explore.stats import STAT_FACETS
from explore.stats import kind_figures
from explore.stats import kind_filterset

MODELS = {"organisation": Organisation, "project": Project}
# More cities than the hotbeds show, so the cut at HOTBEDS is tested.
CITIES = [f"City {number}" for number in range(HOTBEDS + 6)] + ["Málaga", "Malaga"]
WORDS = ["open", "data", "civic", "lab"]


def _values(kind: str) -> dict[str, list[tuple[str, str]]]:
    values = {
        "country": [(f"country:{t.pk}", t.slug) for t in vocabulary("country")[:5]],
        "city": [(f"city:{city_value(city)}", city) for city in CITIES],
    }
    for facet in ("area", "tech", "focus"):
        values[facet] = [(f"{facet}:{t.pk}", t.slug) for t in vocabulary(facet)[:5]]
    if kind == "organisation":
        for facet in ("type", "size"):
            values[facet] = [(f"{facet}:{t.pk}", t.slug) for t in vocabulary(facet)[:4]]
    return values


@pytest.fixture
def seeded(db):
    """Two hundred-odd profiles with random filter keys and dates (some undated, some not
    published), written in one statement per kind."""
    rng = random.Random(16)
    for kind, factory in (("organisation", OrganisationFactory), ("project", ProjectFactory)):
        values = _values(kind)
        profiles = []
        for number in range(120):
            status = Status.PUBLISHED if rng.random() < 0.9 else Status.DRAFT
            name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {number}"
            profile = factory.build(name=name, status=status, city=rng.choice(CITIES))
            profile.start_date = (
                None
                if rng.random() < 0.2
                else dt.date(rng.choice([1950, 1999, 2005, 2010, 2012, 2017, 2020]), 3, 1)
            )
            profile.published_at = timezone.make_aware(
                dt.datetime(rng.choice([2014, 2016, 2017, 2021]), rng.randrange(1, 13), 15)
            )
            if rng.random() < 0.1:  # imported, date unknown: listed_at is empty
                profile.legacy_id, profile.created_at = 10_000 + number, None
            for field, value in profile_search_fields(profile, tags={}).items():
                setattr(profile, field, value)
            keys = set()
            for facet, pairs in values.items():
                count = 1 if facet == "city" else rng.choice([0, 1, 1, 2])
                keys.update(key for key, _ in rng.sample(pairs, count))
            profile.facet_keys = sorted(keys)
            profiles.append(profile)
        MODELS[kind].objects.bulk_create(profiles)
    return rng


def _random_query(rng, kind: str):
    values = _values(kind)
    params, chosen = [], {}
    for facet in rng.sample(list(values), rng.choice([0, 1, 1, 2, 3])):
        single = facet == "city"
        for key, value in rng.sample(values[facet], 1 if single else rng.choice([1, 1, 2])):
            params.append((facet, value))
            chosen.setdefault(facet, []).append(key)
    text = rng.choice(WORDS) if rng.random() < 0.3 else None
    if text:
        params.append(("q", text))
    return params, chosen, text


def _brute_force(kind: str, chosen, text):
    """Everything the figures hold, counted in Python from the rows."""
    model = MODELS[kind]
    rows = {
        pk: (keys, start, listed)
        for pk, keys, start, listed in model.objects.published().values_list(
            "pk", "facet_keys", "start_date", "listed_at"
        )
    }
    if text is not None:
        matching = set(model.objects.published().matching(text).values_list("pk", flat=True))
        rows = {pk: row for pk, row in rows.items() if pk in matching}

    def passes(keys, skip=None):
        return all(set(keys) & set(want) for facet, want in chosen.items() if facet != skip)

    result = [row for row in rows.values() if passes(row[0])]
    counts = Counter()
    for keys, _start, _listed in rows.values():
        for key in keys:
            facet = key.partition(":")[0]
            if facet in STAT_FACETS and passes(keys, skip=facet):
                counts[key] += 1
    founded = Counter(start.year for _keys, start, _listed in result if start)
    joined = Counter(timezone.localtime(listed).year for _k, _s, listed in result if listed)
    heat = Counter(
        (area, tech)
        for keys, _start, _listed in result
        for area in keys
        if area.startswith("area:")
        for tech in keys
        if tech.startswith("tech:")
    )
    cities = sorted(
        ((key[5:], n) for key, n in counts.items() if key.startswith("city:")),
        key=lambda item: (-item[1], item[0]),
    )[:HOTBEDS]
    labels = city_labels(model)
    return {
        "total": len(result),
        "counts": {key: n for key, n in counts.items() if not key.startswith("city:")},
        "cities": [(labels.get(value) or value.title(), n) for value, n in cities],
        "years": {"founded": dict(founded), "joined": dict(joined)},
        "undated": {
            "founded": len(result) - sum(founded.values()),
            "joined": len(result) - sum(joined.values()),
        },
        "heat": dict(heat),
    }


def _figures(kind: str, params):
    filterset = kind_filterset(kind, QueryDict(urlencode(params)))
    assert not filterset.errors, params
    figures = kind_figures(kind, filterset, version=1, params=params)
    return figures, {
        "total": figures.total,
        "counts": figures.counts,
        "cities": [(label, n) for _value, label, n in figures.cities],
        "years": figures.years,
        "undated": figures.undated,
        "heat": figures.heat,
    }


def _check(rng, kind: str, *, count: int, indexed: bool) -> None:
    asked, nonempty = set(), 0
    while len(asked) < count:
        params, chosen, text = _random_query(rng, kind)
        if str(params) in asked:
            continue
        asked.add(str(params))
        figures, found = _figures(kind, params)
        assert figures.indexed is indexed
        assert found == _brute_force(kind, chosen, text), params
        nonempty += bool(figures.total)
    assert nonempty > count // 3  # queries that find rows, not only empty results


@pytest.mark.parametrize("kind", ["organisation", "project"])
def test_the_index_s_figures_equal_a_brute_force_count(seeded, kind):
    _check(seeded, kind, count=60, indexed=True)


@pytest.mark.parametrize("kind", ["organisation", "project"])
def test_without_the_index_postgres_gives_the_same_figures(seeded, kind, settings):
    settings.FACET_INDEX_MAX_ROWS = 0  # the index refuses to build
    every_index_reset()
    _check(seeded, kind, count=25, indexed=False)


def test_years_come_from_the_index_without_a_query(seeded, django_assert_num_queries):
    """Years are keys of the facet index: figures cost no query but the index's look at its
    change log (tests poll on every request)."""
    params = [("country", vocabulary("country")[0].slug)]
    filterset = kind_filterset("organisation", QueryDict(urlencode(params)))
    first = kind_figures("organisation", filterset, version=7, params=params)
    with django_assert_num_queries(1):
        assert kind_figures("organisation", filterset, version=8, params=params) == first


def test_years_keep_in_step_with_every_change(db):
    """A profile published, redated or unpublished since is counted in its new year (or no
    longer) at the next look, with no rebuild; joining years are read in the site's time
    zone (a profile listed at 23:30 UTC on New Year's Eve joined the next year in Brussels)."""
    first = OrganisationFactory(start_date=dt.date(2001, 5, 5))
    filterset = kind_filterset("organisation", QueryDict(""))
    figures = kind_figures("organisation", filterset, version=1, params=[])
    assert figures.years["founded"] == {2001: 1}
    OrganisationFactory(start_date=dt.date(1999, 5, 5))
    Organisation.objects.filter(pk=first.pk).update(start_date=dt.date(2003, 1, 1))
    gone = OrganisationFactory(start_date=dt.date(1980, 1, 1))
    new_year = dt.datetime(2016, 12, 31, 23, 30, tzinfo=dt.UTC)
    Organisation.objects.filter(pk=gone.pk).update(published_at=new_year)
    figures = kind_figures("organisation", filterset, version=2, params=[])
    assert figures.years["founded"] == {1980: 1, 1999: 1, 2003: 1}
    assert figures.years["joined"][2017] == 1
    Organisation.objects.filter(pk=gone.pk).update(status=Status.DRAFT)
    figures = kind_figures("organisation", filterset, version=3, params=[])
    assert figures.years["founded"] == {1999: 1, 2003: 1}
    assert figures.undated["founded"] == 0
