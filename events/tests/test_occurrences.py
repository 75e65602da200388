"""Occurrences: one-off events, recurrence rules in the event's own time zone, bad rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events.occurrences import HORIZON_DAYS, MAX_OCCURRENCES, clean_rule, occurrence_times

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
