"""Occurrences: one-off events, recurrence rules in the event's own time zone, bad rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events.occurrences import HORIZON_DAYS
from events.occurrences import MAX_OCCURRENCES
from events.occurrences import clean_rule
from events.occurrences import occurrence_times

UTC = dt.UTC
START = dt.datetime(2027, 3, 1, 17, 0, tzinfo=UTC)  # 18:00 in Brussels (winter time)
END = START + dt.timedelta(hours=2)
NOW = dt.datetime(2027, 1, 1, tzinfo=UTC)


def times(rule, zone="Europe/Brussels"):
    return occurrence_times(starts_at=START, ends_at=END, time_zone=zone, rule=rule, now=NOW)


def test_a_one_off_event_happens_once():
    assert times("") == [(START, END)]


def test_a_weekly_series_keeps_its_local_time_across_summer_time():
    found = times("FREQ=WEEKLY;COUNT=6")
    assert len(found) == 6
    # 29 March 2027: Brussels moves to summer time; 18:00 local is then 16:00 UTC
    assert [start.hour for start, _ in found] == [17, 17, 17, 17, 16, 16]
    assert all(end - start == dt.timedelta(hours=2) for start, end in found)


def test_until_and_by_day_rules():
    found = times("FREQ=MONTHLY;BYDAY=1MO;UNTIL=20270701")
    assert [start.date().isoformat() for start, _ in found] == [
        "2027-03-01",
        "2027-04-05",
        "2027-05-03",
        "2027-06-07",
    ]


def test_an_endless_series_stops_at_the_horizon_or_the_limit():
    daily = times("FREQ=DAILY")
    assert len(daily) == MAX_OCCURRENCES
    monthly = times("FREQ=MONTHLY")
    assert monthly[-1][0] <= NOW + dt.timedelta(days=HORIZON_DAYS)
    assert len(monthly) == 22  # March 2027 to the horizon, January 2029


@pytest.mark.parametrize(
    ("rule", "clean"),
    [
        ("freq=weekly; count=3", "FREQ=WEEKLY;COUNT=3"),
        ("RRULE:FREQ=DAILY;INTERVAL=2", "FREQ=DAILY;INTERVAL=2"),
        ("  ", ""),
    ],
)
def test_rules_are_kept_in_one_spelling(rule, clean):
    assert clean_rule(rule) == clean


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=HOURLY",
        "COUNT=3",
        "FREQ=WEEKLY;COUNT=3;UNTIL=20270101",
        "FREQ=WEEKLY;DTSTART=20270101",
        "FREQ=WEEKLY;COUNT=x",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;;",
        "<script>",
    ],
)
def test_bad_rules_get_a_clear_message(rule):
    with pytest.raises(ValidationError) as caught:
        clean_rule(rule)
    assert caught.value.messages[0]


def test_an_unknown_time_zone_gets_a_clear_message():
    with pytest.raises(ValidationError, match="not a time zone"):
        times("FREQ=WEEKLY;COUNT=2", zone="Mars/Olympus_Mons")


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYHOUR=1,2;BYSETPOS=3",
        "FREQ=DAILY;BYMONTHDAY=31;BYMONTH=2,4,6,9,11",
        "FREQ=DAILY;BYYEARDAY=367",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYDAY=2TU",
        "FREQ=MONTHLY;BYDAY=6MO",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=DAILY;COUNT=99999",
    ],
)
def test_rules_that_could_never_give_a_date_are_refused_at_once(rule):
    # Refused by reading the rule, not by searching years for a first date.
    with pytest.raises(ValidationError):
        clean_rule(rule)


def test_rules_from_other_calendars_are_taken():
    assert clean_rule("FREQ=WEEKLY;UNTIL=20270401T000000Z;WKST=MO") == (
        "FREQ=WEEKLY;UNTIL=20270401T000000Z"
    )
    assert clean_rule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")


def test_the_start_is_the_first_occurrence_even_off_the_rule():
    """RFC 5545: a Monday start with a Tuesday rule happens on that Monday too, and counts."""
    found = times("FREQ=WEEKLY;BYDAY=TU;COUNT=3")  # START is Monday 1 March 2027
    assert [start.date().isoformat() for start, _ in found] == [
        "2027-03-01",
        "2027-03-02",
        "2027-03-09",
    ]


def test_a_long_daily_series_keeps_going_years_later():
    later = NOW + dt.timedelta(days=900)
    found = occurrence_times(
        starts_at=START, ends_at=END, time_zone="Europe/Brussels", rule="FREQ=DAILY", now=later
    )
    assert found[0][0] >= later - dt.timedelta(days=367)
    assert found[-1][0] > later  # still upcoming


def test_a_series_long_over_keeps_its_last_occurrence():
    later = NOW + dt.timedelta(days=3000)
    found = occurrence_times(
        starts_at=START,
        ends_at=END,
        time_zone="Europe/Brussels",
        rule="FREQ=WEEKLY;COUNT=6",
        now=later,
    )
    assert len(found) == 1 and found[0][0].date().isoformat() == "2027-04-05"
