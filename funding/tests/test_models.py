"""Open, closed, closing soon and rolling: always from the dates, never set by hand."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from funding.models import FundingTarget
from funding.models import FundingType
from funding.models import Opportunity
from funding.tests.factories import OpportunityFactory

TODAY = dt.date(2027, 5, 10)


def days(n):
    return TODAY + dt.timedelta(days=n)


def test_the_taxonomy_is_loaded_and_translated(db):
    assert FundingType.objects.count() == 6 and FundingTarget.objects.count() == 5
    grant = FundingType.objects.get(slug="grant-funding")
    assert (grant.name_de, grant.name_fr, grant.name_ca) == (
        "Fördermittel",
        "Subventions",
        "Subvencions",
    )


def test_open_closed_closing_soon_and_rolling_follow_the_dates(db):
    open_now = OpportunityFactory(opens_on=days(-5), closes_on=days(40))
    closing = OpportunityFactory(opens_on=None, closes_on=days(3))
    rolling = OpportunityFactory(opens_on=days(-100), closes_on=None)
    closed = OpportunityFactory(opens_on=days(-50), closes_on=days(-1))
    later = OpportunityFactory(opens_on=days(7), closes_on=days(60))
    published = Opportunity.objects.published()
    assert set(published.open_on(TODAY)) == {open_now, closing, rolling}
    assert set(published.closing_soon(TODAY)) == {closing}
    assert set(published.closed_on(TODAY)) == {closed}
    assert set(published.opening_later(TODAY)) == {later}
    assert closing.is_closing_soon(TODAY) and not open_now.is_closing_soon(TODAY)
    assert rolling.is_rolling and rolling.is_open(TODAY)
    assert not closed.is_open(TODAY) and not later.is_open(TODAY)
    # the day it closes it is still open; the day after, not, with nobody touching it
    assert closing.is_open(days(3)) and not closing.is_open(days(4))
    assert "rolling:1" in rolling.facet_keys and "country:any" in rolling.facet_keys


@pytest.mark.parametrize(
    "fields",
    [
        {"opens_on": days(5), "closes_on": days(1)},
        {"amount_min": 100, "amount_max": 10},
        {"amount_min": -1},
    ],
)
def test_the_database_refuses_impossible_dates_and_amounts(db, fields):
    with pytest.raises(IntegrityError):
        OpportunityFactory(**fields)


def test_the_default_closing_soon_uses_today(db):
    soon = OpportunityFactory(closes_on=timezone.localdate() + dt.timedelta(days=2))
    assert list(Opportunity.objects.published().closing_soon()) == [soon]
