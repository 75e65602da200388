"""Synthetic funding opportunities for demonstrations and benchmarks."""

import pytest
from django.core.management import CommandError
from django.core.management import call_command

from directory.demo import directory_seed_demo
from funding.demo import opportunities_seed_demo
from funding.models import Opportunity
from funding.services import opportunities_version


def quietly():
    return open("/dev/null", "w")  # noqa: SIM115


def test_seeded_opportunities_are_published_indexed_and_spread(
    db, django_capture_on_commit_callbacks
):
    directory_seed_demo(organisations=10, projects=5, seed=1)
    before = opportunities_version()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_funding", opportunities=400, seed=7, stdout=quietly())
    assert opportunities_version() > before
    opportunities = Opportunity.objects.published()
    assert opportunities.count() == 400
    # Open, closed, opening later, closing soon and rolling: all there, from the dates.
    assert opportunities.open_on().exists() and opportunities.closed_on().exists()
    assert opportunities.opening_later().exists() and opportunities.closing_soon().exists()
    rolling = opportunities.filter(closes_on__isnull=True).count()
    assert 60 <= rolling <= 140  # about a quarter
    assert opportunities.filter(funder__isnull=False).exists()
    assert opportunities.exclude(funder_name="").exists()
    assert len(set(opportunities.values_list("funding_type", flat=True))) >= 4
    assert len(set(opportunities.values_list("currency", flat=True))) >= 3
    assert opportunities.filter(amount_min__isnull=True, amount_max__isnull=True).exists()
    assert not opportunities.filter(amount_max__lt=0).exists()
    # Search text and filter keys are as the service would write them.
    assert all(opportunity.facet_keys for opportunity in opportunities)
    assert opportunities.filter(facet_keys__contains=["country:any"]).exists()
    assert opportunities.filter(facet_keys__contains=["rolling:1"]).count() == rolling
    assert Opportunity.objects.filter(targets__isnull=False).distinct().count() == 400
    assert Opportunity.objects.filter(social_areas__isnull=False).distinct().count() == 400
    assert opportunities.matching("fund").exists() or opportunities.matching("grants").exists()
    with_countries = opportunities.filter(countries__isnull=False).distinct().first()
    keys = {f"country:{pk}" for pk in with_countries.countries.values_list("pk", flat=True)}
    assert keys <= set(with_countries.facet_keys)


def test_the_same_seed_gives_the_same_opportunities_and_runs_append(db):
    opportunities_seed_demo(count=30, seed=3)
    first = list(Opportunity.objects.order_by("pk").values_list("title", "closes_on"))
    opportunities_seed_demo(count=30, seed=3)
    assert Opportunity.objects.count() == 60
    second = list(Opportunity.objects.order_by("pk").values_list("title", "closes_on")[30:])
    assert first == second
    assert Opportunity.objects.values("slug").distinct().count() == 60


def test_a_negative_number_is_refused(db):
    with pytest.raises(CommandError):
        call_command("seed_funding", opportunities=-1, stdout=quietly())


def test_written_in_bulk_a_few_queries_for_thousands(db, django_assert_max_num_queries):
    # A bounded number of statements, batched, and never a query for each opportunity (the
    # benchmark, bench/, measures how long it takes).
    with django_assert_max_num_queries(25):
        opportunities_seed_demo(count=5_000, seed=1)
    assert Opportunity.objects.published().count() == 5_000
    assert Opportunity.targets.through.objects.count() >= 5_000
