"""Bulk downloads of published events: /data/events.csv and /data/events.json.

Built with the directory's machinery (directory.exports): each column is defined once, and the
files, the `datapackage.json` schema and the data page are generated from the definitions. One
row per event, not per occurrence: a series is one row with its rule (`recurrence`) and the
occurrence the events list shows for it. The rows are filtered and ordered by the events list's
FilterSet, so a download takes the list's query string: upcoming events by default, soonest
first, or past ones with `when=past`, latest first.

As for the directory, a download is one query read with a server-side cursor, plus two small
lookups made once (the countries' codes and the tags' names; the vocabularies come from their
cache); social areas and tags come from the events' filter keys, dates are written by Postgres.
Since "upcoming" moves with the clock, whole downloads are not kept as files.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.export_columns import cleaned_description_column
from core.export_columns import moment_annotations
from core.export_columns import page_columns
from core.export_columns import submitted_tail
from core.exports import BOOLEAN
from core.exports import DATETIME
from core.exports import INTEGER
from core.exports import ISO_MOMENT
from core.exports import NUMBER
from core.exports import STRING
from core.exports import Column
from core.exports import Derived
from core.exports import Export
from core.exports import Lookups
from core.exports import formatted
from core.exports import url_parts
from directory.export_values import country_columns
from directory.export_values import facet_column
from directory.export_values import linked_organisation_columns
from directory.export_values import submitted_lookups
from directory.export_values import vocabulary_lookups
from events.filters import EventFilterSet


@dataclass
class EventLookups(Lookups):
    """The directory's lookups, with the other addresses and the licence events' rows carry."""

    ics_prefix: str = ""
    ics_suffix: str = ""


# --- Derived values: functions of (what they read, lookups) -------------------------------------


def ics_url(slug, lookups) -> str:
    return lookups.ics_prefix + slug + lookups.ics_suffix


def _annotations() -> dict:
    return {
        "starts_utc": formatted("starts_at", ISO_MOMENT),
        "ends_utc": formatted("ends_at", ISO_MOMENT),
        # The occurrence the list shows (events.filters.EventFilterSet.filter_queryset).
        "shown_starts_utc": formatted("shown_starts_at", ISO_MOMENT),
        "shown_ends_utc": formatted("shown_ends_at", ISO_MOMENT),
        **moment_annotations(),
    }


@dataclass(frozen=True)
class EventExport(Export):
    kept: bool = False

    def lookups(self, queryset) -> EventLookups:
        """The vocabularies, countries and tags, and the addresses rows are made of: two
        queries, whatever the number of rows. No profile is hidden: an organiser that is not
        published is named, not linked (see organisation_id)."""
        ics_prefix, ics_suffix = url_parts("events:event_ics")
        return EventLookups(
            **vocabulary_lookups(),
            **submitted_lookups("events:event_detail"),
            ics_prefix=ics_prefix,
            ics_suffix=ics_suffix,
        )


EVENTS = EventExport(
    order=30,
    plural="events",
    title=_("Events"),
    description=_(
        "The published events of the hub, for practitioners of digital social innovation: one "
        "row each (a series is one row). Upcoming events by default; past ones with when=past."
    ),
    filterset_class=EventFilterSet,
    annotations=_annotations,
    geo=(
        ("name", "title"),
        ("url", "url"),
        ("city", "city"),
        ("country_code", "country_code"),
        ("country", "country"),
        ("starts_at", "occurrence_starts_at"),
        ("ends_at", "occurrence_ends_at"),
        ("attendance", "attendance"),
        ("social_areas", "social_areas"),
    ),
    columns=(
        Column("event_id", INTEGER, _("The event's id on the hub; it never changes."), "id"),
        Column("title", STRING, _("The event's title.")),
        *page_columns(
            slug=_("The event's short name in addresses, unique among events."),
            url=_("The address of the event's page on the hub (in English)."),
        ),
        Column(
            "ics_url",
            STRING,
            _("The address of the event as an iCalendar file, to add it to a calendar."),
            Derived(ics_url, "slug"),
            format="uri",
        ),
        Column("short_description", STRING, _("What the event is, in one sentence.")),
        cleaned_description_column(),
        Column(
            "starts_at",
            DATETIME,
            _(
                "When the event starts (for a series, its first time), in UTC "
                "(YYYY-MM-DDThh:mm:ssZ)."
            ),
            "starts_utc",
        ),
        Column(
            "ends_at",
            DATETIME,
            _("When it ends (for a series, its first time), in UTC (YYYY-MM-DDThh:mm:ssZ)."),
            "ends_utc",
        ),
        Column(
            "time_zone",
            STRING,
            _(
                "The time zone the event's times are given in on the hub, e.g. Europe/Madrid "
                "(a series repeats at the same local time)."
            ),
        ),
        Column(
            "recurrence",
            STRING,
            _(
                "How the event repeats, as an iCalendar (RFC 5545) recurrence rule from its "
                "first start in its time zone, e.g. FREQ=WEEKLY;COUNT=6; empty if it happens once."
            ),
        ),
        Column(
            "occurrence_starts_at",
            DATETIME,
            _(
                "When the time the events list shows starts, in UTC: the next time that is not "
                "over yet, or with when=past the last time (within the month with month=)."
            ),
            "shown_starts_utc",
        ),
        Column(
            "occurrence_ends_at",
            DATETIME,
            _("When that time ends, in UTC (YYYY-MM-DDThh:mm:ssZ)."),
            "shown_ends_utc",
        ),
        Column("attendance", STRING, _("How people take part: in_person, online, or both.")),
        Column("venue", STRING, _("The venue's name, for an event in person.")),
        Column("address", STRING, _("The venue's postal address.")),
        Column("city", STRING, _("The city or town, as written on the event.")),
        *country_columns(),
        Column("latitude", NUMBER, _("Latitude of the venue, in decimal degrees (WGS 84).")),
        Column("longitude", NUMBER, _("Longitude of the venue, in decimal degrees (WGS 84).")),
        Column("link", STRING, _("Where to learn more or register."), format="uri"),
        Column("is_free", BOOLEAN, _("Whether taking part is free (true) or paid (false).")),
        Column("price_note", STRING, _("For paid events: what it costs, concessions, and so on.")),
        *linked_organisation_columns(
            "organiser",
            name=_("Who organises it: an organisation of the directory, or a name."),
            organisation=_(
                "The organiser's id in the directory (organisation_id in the organisations "
                "files), when it is a published organisation; empty otherwise."
            ),
            url=_("The address of the organiser's page on the hub, when it has one."),
        ),
        facet_column(
            "social_areas",
            "area",
            _("The areas of social impact the event is about, by English name."),
        ),
        facet_column("tags", "tag", _("Free tags describing the event.")),
        *submitted_tail(
            published=_("When the event was published on the hub, in UTC (YYYY-MM-DDThh:mm:ssZ)."),
            updated=_("When the event last changed, in UTC (YYYY-MM-DDThh:mm:ssZ)."),
            licence=_(
                "The licence of the event's text, by its short name: the site's licence for "
                "contributions (CC BY 4.0 unless the site says otherwise)."
            ),
        ),
    ),
)
