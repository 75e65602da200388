"""An event's occurrences: its one time, or the times its recurrence rule gives.

Rules are RFC 5545 RRULE values (what iCalendar and most calendars use), read with
python-dateutil in the event's own time zone, so that a weekly 18:00 meeting stays at 18:00
local time across summer time. A series is written out up to HORIZON_DAYS ahead and at most
MAX_OCCURRENCES times; a nightly task moves the horizon on for series without an end.
"""

import datetime as dt
import itertools
import re
import zoneinfo

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

HORIZON_DAYS = 2 * 365
MAX_OCCURRENCES = 500
# Occurrences that ended longer ago than this are not written out (a long-running daily series
# would otherwise fill its MAX_OCCURRENCES with its past); the last one always is.
KEEP_PAST_DAYS = 366
# What a rule may say. Parts that can make a rule that never gives a date (BYYEARDAY=367,
# BYHOUR with BYSETPOS...) and that no calendar offers people are left out, and values are
# checked, so expanding a rule always ends quickly. DTSTART is the event's start.
RULE_PARTS = {"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"}
RULE_PARTS_IGNORED = {"WKST"}
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
WEEKDAY = re.compile(r"^([+-]?)(\d{0,2})(MO|TU|WE|TH|FR|SA|SU)$")
# The most days each month can have (February in a leap year).
MONTH_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def event_zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValidationError(
            _("“%(zone)s” is not a time zone we know, such as Europe/Madrid.") % {"zone": name},
            code="time_zone",
        ) from error


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="recurrence")


def _numbers(value: str, low: int, high: int, name: str) -> list[int]:
    try:
        numbers = [int(item) for item in value.split(",")]
    except ValueError:
        numbers = []
    if not numbers or any(n == 0 or not low <= abs(n) <= high for n in numbers):
        raise _refuse(
            _("%(part)s takes numbers from %(low)s to %(high)s.")
            % {"part": name, "low": low, "high": high}
        )
    return numbers


def _check_parts(parts: dict[str, str]) -> None:
    """The values of a rule's parts, and that together they can give a date."""
    frequency = parts["FREQ"]
    if "INTERVAL" in parts:
        _numbers(parts["INTERVAL"], 1, 999, "INTERVAL")
    if "COUNT" in parts:
        _numbers(parts["COUNT"], 1, 10_000, "COUNT")
    months = _numbers(parts["BYMONTH"], 1, 12, "BYMONTH") if "BYMONTH" in parts else range(1, 13)
    if any(month < 0 for month in months):
        raise _refuse(_("BYMONTH takes numbers from 1 to 12."))
    if "BYMONTHDAY" in parts:
        days = _numbers(parts["BYMONTHDAY"], 1, 31, "BYMONTHDAY")
        if not any(abs(day) <= MONTH_DAYS[month] for day in days for month in months):
            raise _refuse(_("No month in this rule has such a day."))
    ordinals = []
    for day in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else []:
        match = WEEKDAY.match(day)
        if not match:
            raise _refuse(_("BYDAY takes days such as MO, TU or 2TU (the second Tuesday)."))
        if match.group(2):
            ordinals.append(int(match.group(2)))
    if ordinals:
        if frequency not in ("MONTHLY", "YEARLY"):
            raise _refuse(_("Days such as 2TU (the second Tuesday) need FREQ=MONTHLY or YEARLY."))
        limit = 5 if frequency == "MONTHLY" or "BYMONTH" in parts else 53
        if any(not 1 <= n <= limit for n in ordinals):
            raise _refuse(_("There is no such week in a month or year."))
    if "BYSETPOS" in parts:
        if frequency not in ("MONTHLY", "YEARLY") or not ({"BYDAY", "BYMONTHDAY"} & set(parts)):
            raise _refuse(
                _("BYSETPOS needs FREQ=MONTHLY or YEARLY, and BYDAY or BYMONTHDAY to choose from.")
            )
        # Each weekday comes at least four times a month: a position up to 4 always exists.
        _numbers(parts["BYSETPOS"], 1, 4, "BYSETPOS")


def clean_rule(rule: str) -> str:
    """The rule in its canonical spelling (upper case, no spaces, no RRULE: prefix), or a
    ValidationError that says what is wrong."""
    rule = "".join(rule.split()).upper()
    if rule.startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if not rule:
        return ""
    parts = {}
    for part in rule.split(";"):
        name, equals, value = part.partition("=")
        if name in RULE_PARTS_IGNORED and equals:
            continue
        if not equals or not value or name not in RULE_PARTS or name in parts:
            raise _refuse(_("“%(part)s” is not part of a recurrence rule.") % {"part": part[:40]})
        parts[name] = value
    if parts.get("FREQ") not in FREQUENCIES:
        raise _refuse(_("A recurrence rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."))
    if "COUNT" in parts and "UNTIL" in parts:
        raise _refuse(_("A recurrence rule may end with COUNT or with UNTIL, not both."))
    _check_parts(parts)
    rule = ";".join(f"{name}={value}" for name, value in parts.items())
    try:
        # A date in UTC ("...Z", as calendars export it) is read as the event's local time.
        rrulestr(rule, dtstart=dt.datetime(2000, 1, 1), ignoretz=True)  # noqa: DTZ001
    except (ValueError, TypeError, OverflowError) as error:
        raise _refuse(
            _("This recurrence rule cannot be read: %(error)s") % {"error": str(error)[:100]}
        ) from error
    return rule


def _local_starts(rule: str, local_start: dt.datetime):
    """The rule's local start times, the event's own start first (RFC 5545: DTSTART is always
    the first occurrence, and counts towards COUNT, even where the rule would not give it)."""
    recurrence = rrulestr(rule, dtstart=local_start, ignoretz=True)
    starts = iter(recurrence)
    first = next(starts, None)
    if first == local_start:
        return itertools.chain([first], starts)
    found = itertools.chain([local_start], [first] if first else [], starts)
    count = re.search(r"(?:^|;)COUNT=(\d+)", rule)
    return itertools.islice(found, int(count.group(1))) if count else found


def occurrence_times(
    *, starts_at: dt.datetime, ends_at: dt.datetime, time_zone: str, rule: str, now=None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of each occurrence to write out, in UTC: the event's own, or its rule's from
    a year ago (and always the last one that has passed) up to the horizon."""
    if not rule:
        return [(starts_at, ends_at)]
    now = now or timezone.now()
    zone = event_zone(time_zone)
    local_start = timezone.localtime(starts_at, zone).replace(tzinfo=None)
    duration = ends_at - starts_at
    horizon = now + dt.timedelta(days=HORIZON_DAYS)
    keep_from = now - dt.timedelta(days=KEEP_PAST_DAYS)
    times, last_passed = [], None
    for local in _local_starts(clean_rule(rule), local_start):
        start = local.replace(tzinfo=zone).astimezone(dt.UTC)
        if start > horizon or len(times) >= MAX_OCCURRENCES:
            break
        if start + duration < keep_from:
            last_passed = (start, start + duration)
            continue
        times.append((start, start + duration))
    return times or ([last_passed] if last_passed else [(starts_at, ends_at)])


def local_days(starts_at: dt.datetime, ends_at: dt.datetime, zone) -> tuple[dt.date, dt.date]:
    """The first and last day an occurrence covers in its event's time zone; an end at
    midnight does not reach into the next day."""
    start = starts_at.astimezone(zone)
    end = ends_at.astimezone(zone)
    last = end.date()
    if end > start and end.time() == dt.time() and last > start.date():
        last -= dt.timedelta(days=1)
    return start.date(), max(last, start.date())
