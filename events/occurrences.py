"""An event's occurrences: its one time, or the times its recurrence rule gives.

Rules are RFC 5545 RRULE values (what iCalendar and most calendars use), read with
python-dateutil in the event's own time zone, so that a weekly 18:00 meeting stays at 18:00
local time across summer time. A series is written out up to HORIZON_DAYS ahead and at most
MAX_OCCURRENCES times; a nightly task moves the horizon on for series without an end.
"""

import datetime as dt
import zoneinfo

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

HORIZON_DAYS = 2 * 365
MAX_OCCURRENCES = 500
# What a rule may say: the parts of RFC 5545 §3.3.10, but no DTSTART (the event's start is it).
RULE_PARTS = {
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
}
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}


def event_zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            _("“%(zone)s” is not a time zone we know, such as Europe/Madrid.") % {"zone": name},
            code="time_zone",
        ) from error


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
        if not equals or not value or name not in RULE_PARTS or name in parts:
            raise ValidationError(
                _("“%(part)s” is not part of a recurrence rule.") % {"part": part[:40]},
                code="recurrence",
            )
        parts[name] = value
    if parts.get("FREQ") not in FREQUENCIES:
        raise ValidationError(
            _("A recurrence rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."),
            code="recurrence",
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValidationError(
            _("A recurrence rule may end with COUNT or with UNTIL, not both."), code="recurrence"
        )
    try:
        rrulestr(rule, dtstart=dt.datetime(2000, 1, 1))  # noqa: DTZ001 - syntax check only
    except (ValueError, TypeError, OverflowError) as error:
        raise ValidationError(
            _("This recurrence rule cannot be read: %(error)s") % {"error": str(error)[:100]},
            code="recurrence",
        ) from error
    return rule


def occurrence_times(
    *, starts_at: dt.datetime, ends_at: dt.datetime, time_zone: str, rule: str, now=None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of each occurrence, in UTC: the event's own, or its rule's up to the horizon."""
    if not rule:
        return [(starts_at, ends_at)]
    zone = event_zone(time_zone)
    local_start = timezone.localtime(starts_at, zone).replace(tzinfo=None)
    duration = ends_at - starts_at
    horizon = (now or timezone.now()) + dt.timedelta(days=HORIZON_DAYS)
    # UNTIL in a rule is compared with the local start (a date, or a time without a zone).
    recurrence = rrulestr(clean_rule(rule), dtstart=local_start, ignoretz=True)
    times = []
    for local in recurrence:
        start = local.replace(tzinfo=zone).astimezone(dt.UTC)
        if start > horizon or len(times) >= MAX_OCCURRENCES:
            break
        times.append((start, start + duration))
    return times or [(starts_at, ends_at)]
