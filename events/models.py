"""Events: what practitioners can go to, moderated like directory profiles.

An event happens once (its start and end) or repeats (an RFC 5545 recurrence rule from its
first start). Its occurrences are written out as rows (EventOccurrence, see
events.occurrences) up to a horizon, so that "upcoming", "in March" and the month calendar
are plain indexed queries, whatever the number of events and however they repeat.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.content_models import DetailPage
from core.content_models import name_given_field
from core.content_models import published_index
from core.fields import WebAddressField
from core.models import Submission
from core.models import SubmissionQuerySet
from core.models import optional_foreign_key
from core.models import published_name
from core.models import short_description_field
from core.models import submission_indexes
from directory.models import Country
from directory.models import Organisation
from directory.models import Tag
from directory.models.vocabularies import social_areas_field

DEFAULT_TIME_ZONE = "Europe/Brussels"


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    BOTH = "both", _("in person and online")


class EventQuerySet(SubmissionQuerySet):
    relevance_then = ("first_starts_at", "pk")

    def upcoming(self, now=None):
        """Events with an occurrence that has not ended yet."""
        now = now or timezone.now()
        return self.filter(last_ends_at__gte=now)

    def past(self, now=None):
        """Events whose every occurrence has ended."""
        now = now or timezone.now()
        return self.filter(last_ends_at__lt=now)

    def with_next_occurrence(self, now=None):
        """Each event's next occurrence (the first that has not ended by `now`) as
        `next_starts_at` and `next_ends_at`: None for a past event. Two correlated subqueries
        on the occurrences' (ends_at, event) index, in the same query."""
        now = now or timezone.now()
        following = EventOccurrence.objects.filter(
            event=models.OuterRef("pk"), ends_at__gte=now
        ).order_by("starts_at")
        return self.annotate(
            next_starts_at=models.Subquery(following.values("starts_at")[:1]),
            next_ends_at=models.Subquery(following.values("ends_at")[:1]),
        )

    def next_up(self, now=None):
        """Upcoming events, soonest first, each at its next occurrence (`shown_starts_at`,
        `shown_ends_at`, which cards show) and with its country, in one query: the home
        page's and a country's statistics page's."""
        now = now or timezone.now()
        return (
            self.upcoming(now)
            .select_related("country")
            .with_next_occurrence(now)
            .annotate(
                shown_starts_at=models.F("next_starts_at"), shown_ends_at=models.F("next_ends_at")
            )
            .order_by("next_starts_at", "pk")
        )

    def with_cards(self):
        """What a list's card shows, without a query per card."""
        return self.select_related("country", "organiser").prefetch_related("social_areas")

    def with_details(self):
        return self.select_related("country", "organiser").prefetch_related("social_areas", "tags")


class Event(DetailPage, Submission):
    short_description = short_description_field(_("One sentence, shown on cards and in calendars."))
    description = models.TextField(_("description"), blank=True)
    # Empty only in drafts (events.services: asked for at submission).
    starts_at = models.DateTimeField(_("starts"), null=True)
    ends_at = models.DateTimeField(_("ends"), null=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        help_text=_("Where the times are given, e.g. Europe/Madrid."),
    )
    recurrence = models.CharField(
        _("repeats"),
        max_length=500,
        blank=True,
        help_text=_(
            "An iCalendar recurrence rule, e.g. FREQ=WEEKLY;COUNT=6 or "
            "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231. Empty: it happens once."
        ),
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = optional_foreign_key(Country, _("country"), on_delete=models.PROTECT)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    link = WebAddressField(
        _("link"), max_length=500, blank=True, help_text=_("Where to learn more or register.")
    )
    is_free = models.BooleanField(_("free"), default=True)
    price_note = models.CharField(
        _("price"),
        max_length=200,
        blank=True,
        help_text=_("For paid events: what it costs, concessions, and so on."),
    )
    organiser = optional_foreign_key(
        Organisation, _("organiser in the directory"), related_name="events"
    )
    organiser_name = name_given_field(
        _("organiser"), _("Who organises it, if they are not in the directory.")
    )
    social_areas = social_areas_field()
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="+")

    # Kept in step by events.services.event_reindex from the occurrences and the text.
    first_starts_at = models.DateTimeField(editable=False, null=True)
    last_ends_at = models.DateTimeField(
        editable=False, null=True, help_text="The end of the last occurrence written out."
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]
        indexes = [
            published_index("last_ends_at", "first_starts_at", name="event_pub_upcoming"),
            *submission_indexes("event"),
        ]

    @property
    def repeats(self) -> bool:
        return bool(self.recurrence)

    @property
    def organiser_label(self) -> str:
        return published_name(self.organiser, self.organiser_name)

    @property
    def is_online(self) -> bool:
        return self.attendance in (Attendance.ONLINE, Attendance.BOTH)

    @property
    def is_in_person(self) -> bool:
        return self.attendance in (Attendance.IN_PERSON, Attendance.BOTH)


class EventOccurrence(models.Model):
    """One time an event happens (its only one, or one of a series), written out on save."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The first and last day it covers in the event's own time zone (an end at midnight does
    # not reach into the next day): what "in March" means to the people going.
    starts_on = models.DateField(null=True, editable=False)
    ends_on = models.DateField(null=True, editable=False)

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="occurrence_once"),
        ]
        indexes = [
            models.Index(fields=["starts_at", "event"], name="occurrence_starts"),
            models.Index(fields=["ends_at", "event"], name="occurrence_ends"),
        ]

    def __str__(self):
        return f"{self.event} – {self.starts_at:%Y-%m-%d %H:%M}"
