"""Writes to events: submit, edit, moderate, and keep occurrences and search in step.

Like directory profiles, an event is a draft until its author submits it, then pending until a
community admin approves or rejects it; only published events are public. Every change is
kept in the history (django-reversion). Cached pages and feeds of events follow a version
that every change to published events moves on (events_changed).
"""

from django.db import transaction
from django.utils.translation import gettext_lazy

from core.lifecycle import Editing
from core.lifecycle import SubmissionLifecycle
from core.search import city_value
from core.search import facet_key
from core.search import folded_text
from core.search import store_search_fields
from core.submissions import apply_fields
from core.versions import ContentVersion
from directory.versions import DIRECTORY
from events.models import Attendance
from events.models import Event
from events.models import EventOccurrence
from events.occurrences import clean_rule
from events.occurrences import event_zone
from events.occurrences import local_days
from events.occurrences import occurrence_times

HTML_FIELDS = {"description"}
RESERVED_SLUGS = {"new", "calendar", "feed", "ical", "mine"}


# --- The version cached pages and feeds are stamped with --------------------------------------

# Events name their organiser from the directory while it is published: follow its version.
EVENTS = ContentVersion("events:version", follows=(DIRECTORY,))
events_version = EVENTS.current
events_cached = EVENTS.cached
events_cache = EVENTS.cache
events_changed = EVENTS.changed


# --- Derived rows: occurrences, search text and filter keys ------------------------------------


def event_search_fields(event: Event, *, social_areas, tags) -> dict:
    keys = [facet_key("attendance", event.attendance), facet_key("free", int(event.is_free))]
    if event.attendance == Attendance.BOTH:
        keys += [facet_key("attendance", Attendance.ONLINE), facet_key("attendance", "in_person")]
    places = [event.venue, event.city, event.address]
    if event.city:
        keys.append(facet_key("city", city_value(event.city)))
    if event.country_id:
        keys.append(facet_key("country", event.country_id))
        places.append(event.country.name)
    keys += [facet_key("area", row.pk) for row in social_areas]
    keys += [facet_key("tag", row.pk) for row in tags]
    names = [row.name for row in [*social_areas, *tags]]
    return {
        "search_title": folded_text(event.title),
        "search_body": folded_text(
            event.short_description,
            event.organiser_label,
            *names,
            *places,
            event.description,
        ),
        "facet_keys": sorted(set(keys)),
    }


def occurrence_days(starts_at, ends_at, zone) -> dict:
    starts_on, ends_on = local_days(starts_at, ends_at, zone)
    return {"starts_on": starts_on, "ends_on": ends_on}


def event_times(event: Event, *, now=None) -> list:
    """The (start, end) of each occurrence to write out, from the event's rule and zone."""
    return occurrence_times(
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        time_zone=event.time_zone,
        rule=event.recurrence,
        now=now,
    )


def event_reindex(event: Event, *, now=None) -> None:
    """Write out the event's occurrences and refresh its search text and filter keys (a draft
    without dates yet has no occurrences)."""
    times = event_times(event, now=now) if event.starts_at and event.ends_at else []
    EventOccurrence.objects.filter(event=event).delete()
    zone = event_zone(event.time_zone)
    EventOccurrence.objects.bulk_create(
        EventOccurrence(
            event=event, starts_at=start, ends_at=end, **occurrence_days(start, end, zone)
        )
        for start, end in times
    )
    fields = event_search_fields(
        event, social_areas=list(event.social_areas.all()), tags=list(event.tags.all())
    )
    fields["first_starts_at"] = event.starts_at  # always the first occurrence (RFC 5545)
    fields["last_ends_at"] = times[-1][1] if times else None
    store_search_fields(event, fields)


# --- Create, edit and review (core.lifecycle) -------------------------------------------------


def _apply(event: Event, fields: dict) -> list[str]:
    return apply_fields(event, fields, html_fields=HTML_FIELDS, cleaners={"recurrence": clean_rule})


def _validate(event: Event, *, exclude=()) -> None:
    event_zone(event.time_zone)
    event.full_clean(exclude=["slug", *exclude])


# A draft may leave out when it happens (core.lifecycle.Editing): asked for at submission.
WHEN = gettext_lazy("when it happens")

LIFECYCLE = SubmissionLifecycle(
    Event,
    editing=Editing(
        apply=_apply,
        validate=_validate,
        reindex=event_reindex,
        on_published=events_changed,
        needed_at_submission={"starts_at": WHEN, "ends_at": WHEN},
    ),
    reserved_slugs=RESERVED_SLUGS,
    forbidden=gettext_lazy("You cannot change this event."),
    not_pending_approve=gettext_lazy("Only events waiting for review can be approved."),
    not_pending_reject=gettext_lazy("Only events waiting for review can be rejected."),
)


def events_extend_series(*, now=None) -> int:
    """Move the horizon on for published series: occurrences are written out ahead of time
    (events.occurrences.HORIZON_DAYS), so a nightly run keeps open-ended series going."""
    count = 0
    for event in Event.objects.published().exclude(recurrence="").iterator():
        with transaction.atomic():
            event_reindex(event, now=now)
        count += 1
    if count:
        events_changed()
    return count
