"""The funding list's FilterSet on its own: status on a given day, each filter, bad values."""

import datetime as dt

import pytest
from django.http import QueryDict

from core.filters import parse_month
from core.models import Status
from directory.models import Country
from funding.filters import OpportunityFilterSet
from funding.models import FundingTarget
from funding.models import Opportunity
from funding.services import opportunity_reindex
from funding.tests.factories import OpportunityFactory

DAY = dt.date(2027, 5, 10)


def on(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def found(query: str = "", day: dt.date = DAY) -> tuple[list[str], dict]:
    filterset = OpportunityFilterSet(
        QueryDict(query), queryset=Opportunity.objects.published(), today=day
    )
    return [row.title for row in filterset.qs], dict(filterset.errors)


def make(title, *, opens=-10, closes=30, countries=(), targets=(), **fields):
    created = OpportunityFactory(
        title=title,
        opens_on=None if opens is None else on(opens),
        closes_on=None if closes is None else on(closes),
        **fields,
    )
    created.countries.set(countries)
    created.targets.set(targets)
    opportunity_reindex(created)
    return created


def test_status_is_worked_out_from_the_day_given(db):
    make("Closes on the day", closes=0)
    make("Rolling", closes=None)
    make("Opens the next day", opens=1, closes=20)
    make("Closed the day before", opens=-30, closes=-1)
    assert found() == (["Closes on the day", "Rolling"], {})
    assert found("status=upcoming") == (["Opens the next day"], {})
    assert found("status=closed") == (["Closed the day before"], {})
    # the next day, with nobody touching anything
    next_day = on(1)
    assert found(day=next_day)[0] == ["Opens the next day", "Rolling"]
    assert found("status=closed", day=next_day)[0] == ["Closes on the day", "Closed the day before"]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("5000", ["Range", "From only", "Up to only"]),  # the smallest amount counts
        ("50000", ["Range", "From only", "Up to only"]),  # and the largest
        ("50000.01", ["From only"]),
        ("4999.99", ["Up to only"]),
        ("0", ["Up to only"]),
        ("99999999", ["From only"]),
    ],
)
def test_amount_covers_the_range_or_anything_above_the_minimum(db, amount, expected):
    make("Range", closes=1, amount_min=5000, amount_max=50000)
    make("From only", closes=2, amount_min=5000, amount_max=None)
    make("Up to only", closes=3, amount_min=None, amount_max=50000)
    make("No amount", closes=4, amount_min=None, amount_max=None)
    assert found(f"amount={amount}") == (expected, {})


def test_a_country_matches_those_open_everywhere_too(db):
    spain = Country.objects.get(code="ES")
    make("Spain", closes=1, countries=[spain])
    make("Germany", closes=2, countries=[Country.objects.get(code="DE")])
    make("Everywhere", closes=3)
    assert found("country=spain")[0] == ["Spain", "Everywhere"]
    assert found("country=portugal")[0] == ["Everywhere"]


def test_several_kinds_of_applicant_match_any_of_them(db):
    startup = FundingTarget.objects.get(slug="startup")
    individuals = FundingTarget.objects.get(slug="individuals")
    make("Startups", closes=1, targets=[startup])
    make("Individuals", closes=2, targets=[individuals])
    make("Both", closes=3, targets=[startup, individuals])
    make("Nobody said", closes=4)
    assert found("target=startup")[0] == ["Startups", "Both"]
    assert found("target=startup&target=individuals")[0] == ["Startups", "Individuals", "Both"]
    assert found("target=")[0] == ["Startups", "Individuals", "Both", "Nobody said"]


def test_too_many_values_for_one_filter_are_refused(db):
    query = "&".join(["target=startup"] * 11)
    titles, errors = found(query)
    assert "Please choose at most 10 values for one filter." in errors["target"]


def test_closing_month(db):
    make("In May", opens=-20, closes=21)  # 31 May
    make("In June", closes=22)  # 1 June
    assert found("closes=2027-05")[0] == ["In May"]
    assert found("closes=2027-06")[0] == ["In June"]


def test_unpublished_are_never_found_whatever_the_filters(db):
    for status in (Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED):
        make(f"Hidden {status}", status=status)
    for query in ("", "status=closed", "status=upcoming", "q=hidden", "country=spain"):
        assert found(query)[0] == [], query


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=someday", "status"),
        ("type=lottery", "type"),
        ("target=aliens", "target"),
        ("country=narnia", "country"),
        ("area=knitting", "area"),
        ("closes=2027-00", "closes"),
        ("closes=1969-12", "closes"),
        ("amount=abc", "amount"),
        ("amount=-1", "amount"),
        ("amount=123456789012345", "amount"),
    ],
)
def test_bad_values_are_reported_and_not_applied(db, query, field):
    make("Still listed")
    titles, errors = found(query)
    assert list(errors) == [field]
    assert titles == ["Still listed"]


def test_parse_month():
    assert parse_month("2027-03") == dt.date(2027, 3, 1)
    assert parse_month(" 2027-12 ") == dt.date(2027, 12, 1)
    for bad in ("2027-3", "2027-13", "27-03", "", "2101-01", "２０２７-03"):
        assert parse_month(bad) is None, bad
