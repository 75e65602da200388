"""The form practitioners submit events with, and the admin's form for events.

Forms only validate. They never write: EventForm hands plain values (`field_values()`) and
related rows (`relation_rows()`) to events.services, which sanitises the description, keeps the
history and writes out the occurrences. Times are typed as a date and a time of day in the
event's own time zone (chosen on the form), and turned into instants here.
"""

import datetime as dt
import re
import zoneinfo
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import HONEYPOT
from core.forms import DatePickerField
from core.forms import HoneypotMixin
from core.forms import SubmissionForm
from core.forms import TimePickerField
from core.forms import section_fields
from directory.forms import TagsField
from directory.models import Country
from directory.models import Organisation
from directory.models import SocialArea
from directory.places import add_location_picker
from directory.places import clean_coordinates
from directory.places import coordinate_field
from directory.places import latitude_field
from directory.places import location_picker_media
from directory.services.profiles import tags_from_names
from events.models import DEFAULT_TIME_ZONE
from events.models import Attendance
from events.models import Event
from events.occurrences import clean_rule
from events.occurrences import event_zone

# The zones people in Europe are most likely to give, first in the list.
EUROPEAN_ZONES = [
    "Europe/Amsterdam",
    "Europe/Athens",
    "Europe/Belgrade",
    "Europe/Berlin",
    "Europe/Bratislava",
    "Europe/Brussels",
    "Europe/Bucharest",
    "Europe/Budapest",
    "Europe/Copenhagen",
    "Europe/Dublin",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "Europe/Kyiv",
    "Europe/Lisbon",
    "Europe/Ljubljana",
    "Europe/London",
    "Europe/Luxembourg",
    "Europe/Madrid",
    "Europe/Malta",
    "Europe/Oslo",
    "Europe/Paris",
    "Europe/Prague",
    "Europe/Riga",
    "Europe/Rome",
    "Europe/Sofia",
    "Europe/Stockholm",
    "Europe/Tallinn",
    "Europe/Vienna",
    "Europe/Vilnius",
    "Europe/Warsaw",
    "Europe/Zagreb",
    "Europe/Zurich",
    "Atlantic/Canary",
    "Atlantic/Reykjavik",
    "UTC",
]


@cache
def other_zones() -> list[str]:
    """Every other place-named IANA zone this system knows, for events outside Europe."""
    common = set(EUROPEAN_ZONES)
    return sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name
        and name not in common
        and not name.startswith(("Etc/", "posix/", "right/", "SystemV/", "US/"))
    )


def time_zone_choices(current: str = "") -> list:
    choices = [
        (_("Europe"), [(name, name.replace("_", " ")) for name in EUROPEAN_ZONES]),
        (_("Elsewhere"), [(name, name.replace("_", " ")) for name in other_zones()]),
    ]
    if current and current not in EUROPEAN_ZONES and current not in other_zones():
        choices.insert(0, (current, current))
    return choices


# --- Repeats: friendly choices written as RFC 5545 rules --------------------------------------

NO_REPEAT = ""
CUSTOM = "custom"
REPEAT_CHOICES = [
    (NO_REPEAT, _("Does not repeat")),
    ("weekly", _("Every week")),
    ("fortnightly", _("Every two weeks")),
    ("monthly_weekday", _("Every month, on the same weekday (e.g. the second Tuesday)")),
    ("monthly_date", _("Every month, on the same date")),
    ("yearly", _("Every year")),
    (CUSTOM, _("Custom: the rule I give below")),
]
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# Dates the form takes: beyond them, time zone arithmetic overflows and nothing is meant.
FIRST_YEAR, LAST_YEAR = 1970, 2100
UNTIL_PATTERN = re.compile(r"^(?P<rule>.*);UNTIL=(?P<date>\d{8})T235959$")


def friendly_rule(repeat: str, start: dt.date, until: dt.date | None = None) -> str:
    """The rule of a friendly choice, for a series that starts on `start` (local date)."""
    if repeat == "weekly":
        rule = "FREQ=WEEKLY"
    elif repeat == "fortnightly":
        rule = "FREQ=WEEKLY;INTERVAL=2"
    elif repeat == "monthly_weekday":
        nth = (start.day - 1) // 7 + 1
        # A fifth weekday is not in every month: "the last" is what people mean.
        rule = f"FREQ=MONTHLY;BYDAY={-1 if nth == 5 else nth}{WEEKDAYS[start.weekday()]}"
    elif repeat == "monthly_date":
        rule = "FREQ=MONTHLY"
    elif repeat == "yearly":
        rule = "FREQ=YEARLY"
    else:
        return ""
    if until is not None:
        # UNTIL is compared with local starts: the whole of that day counts.
        rule += f";UNTIL={until:%Y%m%d}T235959"
    return rule


def friendly_choice(rule: str, start: dt.date) -> tuple[str, dt.date | None]:
    """The friendly choice (and its end date) a stored rule came from, or CUSTOM."""
    if not rule:
        return NO_REPEAT, None
    until = None
    base = rule
    match = UNTIL_PATTERN.match(rule)
    if match:
        try:
            until = dt.datetime.strptime(match["date"], "%Y%m%d").date()
        except ValueError:
            return CUSTOM, None
        base = match["rule"]
    for value, _label in REPEAT_CHOICES:
        if value not in (NO_REPEAT, CUSTOM) and friendly_rule(value, start) == base:
            return value, until
    return CUSTOM, None


def repeat_label(event: Event) -> str:
    """How an event repeats, in words where it is one of the friendly choices; "" if it does not."""
    if not event.recurrence:
        return ""
    start = event.starts_at.astimezone(event_zone(event.time_zone)).date()
    repeat, until = friendly_choice(event.recurrence, start)
    if repeat == CUSTOM:
        return event.recurrence
    label = str(dict(REPEAT_CHOICES)[repeat])
    if until is not None:
        return str(_("%(repeats)s, until %(date)s")) % {
            "repeats": label,
            "date": date_format(until, "DATE_FORMAT"),
        }
    return label


class EventRuleFieldsMixin:
    """A time zone and a recurrence rule, checked alike on the public form and the admin's."""

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"].strip()
        event_zone(name)  # a ValidationError that names the zone, if unknown
        return name

    def clean_recurrence(self):
        return clean_rule(self.cleaned_data["recurrence"])


class EventForm(EventRuleFieldsMixin, SubmissionForm):
    """What an event's author gives: what, when (in its own time zone), where, who, topics."""

    start_date = DatePickerField(label=_("Start date"), help_text=_("e.g. 2026-05-14"))
    start_time = TimePickerField(label=_("Start time"), help_text=_("24-hour clock, e.g. 18:30"))
    end_date = DatePickerField(
        label=_("End date"),
        required=False,
        help_text=_("Leave empty if it ends on the day it starts."),
    )
    end_time = TimePickerField(label=_("End time"), help_text=_("24-hour clock, e.g. 20:00"))
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial=DEFAULT_TIME_ZONE,
        help_text=_("Where the times above are given. Repeats follow its summer time."),
    )
    repeat = forms.ChoiceField(label=_("Repeats"), choices=REPEAT_CHOICES, required=False)
    repeat_until = DatePickerField(
        label=_("Repeats until"),
        required=False,
        help_text=_("Optional: the last day it may happen. Empty: it goes on."),
    )
    recurrence = forms.CharField(
        label=_("Custom rule (advanced)"),
        required=False,
        max_length=500,
        help_text=_(
            "Only with “Custom” above: an iCalendar recurrence rule, e.g. "
            "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10 or FREQ=MONTHLY;BYDAY=-1FR."
        ),
    )
    tags_text = TagsField(label=_("Tags"))
    latitude = latitude_field()
    longitude = coordinate_field(
        label=_("Longitude"),
        limit=180,
        help_text=_(
            "Optional, in decimal degrees between -180 and 180, e.g. 2.1686. If you leave both "
            "empty we use those of the city, when we know it."
        ),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "short_description",
            "description",
            "attendance",
            "venue",
            "address",
            "city",
            "country",
            "latitude",
            "longitude",
            "link",
            "is_free",
            "price_note",
            "organiser",
            "organiser_name",
            "social_areas",
        ]
        widgets = {
            "short_description": forms.TextInput(),
            "description": forms.Textarea(attrs={"rows": 12}),
            "attendance": forms.RadioSelect,
            "social_areas": forms.CheckboxSelectMultiple,
        }

    # Model fields the service may name in its errors, and the form field showing each.
    error_fields = {
        "starts_at": "start_time",
        "ends_at": "end_time",
        "recurrence": "recurrence",
        "time_zone": "time_zone",
    }

    # How the page groups and orders the fields: (anchor, heading, field names).
    sections = [
        ("what", _("What"), [HONEYPOT, "title", "short_description", "description"]),
        (
            "when",
            _("When"),
            [
                "start_date",
                "start_time",
                "end_date",
                "end_time",
                "time_zone",
                "repeat",
                "repeat_until",
                "recurrence",
            ],
        ),
        (
            "where",
            _("Where and how to take part"),
            [
                "attendance",
                "venue",
                "address",
                "city",
                "country",
                "latitude",
                "longitude",
                "link",
                "is_free",
                "price_note",
            ],
        ),
        ("who", _("Who organises it"), ["organiser", "organiser_name"]),
        ("topics", _("Topics"), ["social_areas", "tags_text"]),
    ]
    relations = ("social_areas",)
    # A draft may leave out when it happens (asked for at submission, events.services); what
    # is given of it is kept only whole, with what is worked out from it.
    needed_at_submission = ("start_date", "start_time", "end_time")
    kept_together = (
        frozenset(
            [*section_fields(sections[1:2]), "starts_at", "ends_at", "rule"],
        ),
        frozenset({"latitude", "longitude"}),
    )
    too_many_links_message = _(
        "New accounts can include at most %(max)s links in the text. Please remove "
        "some; the event's own page goes in “Link”."
    )
    description_help = _("What happens, for whom, and how to take part.")
    link_help = _("Where to learn more or register, e.g. https://…")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance
        zone_name = event.time_zone if event.pk else DEFAULT_TIME_ZONE
        self.fields["time_zone"].widget = forms.Select(choices=time_zone_choices(zone_name))
        self.fields["country"].queryset = Country.objects.by_name()
        self.fields["country"].empty_label = _("(choose a country)")
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        add_location_picker(self, countries="country")
        self.fields["social_areas"].queryset = SocialArea.objects.order_by("order", "name")
        self.fields["social_areas"].help_text = _("What the event is about, if any of these.")
        organisers = Organisation.objects.managed_by(self.user).values("pk")
        condition = Q(pk__in=organisers)
        if event.organiser_id:
            condition |= Q(pk=event.organiser_id)
        self.fields["organiser"].queryset = Organisation.objects.filter(condition).order_by(
            "name", "pk"
        )
        self.fields["organiser"].empty_label = _("(none of mine)")
        self.fields["organiser"].help_text = _(
            "An organisation you manage in the directory. Otherwise, give the organiser's name "
            "below."
        )
        if event.pk and not self.is_bound:
            self._initial_from(event)

    def _initial_from(self, event: Event) -> None:
        self.initial["tags_text"] = [tag.name for tag in event.tags.all()]
        self.initial["time_zone"] = event.time_zone
        if event.starts_at is None or event.ends_at is None:
            return  # a draft that does not say when yet
        zone = zoneinfo.ZoneInfo(event.time_zone)
        starts = event.starts_at.astimezone(zone)
        ends = event.ends_at.astimezone(zone)
        repeat, until = friendly_choice(event.recurrence, starts.date())
        self.initial.update(
            start_date=starts.date(),
            start_time=starts.time().replace(second=0, microsecond=0),
            end_date=ends.date(),
            end_time=ends.time().replace(second=0, microsecond=0),
            repeat=repeat,
            repeat_until=until,
            recurrence=event.recurrence if repeat == CUSTOM else "",
        )

    # --- Validation ------------------------------------------------------------------------------

    @property
    def media(self):
        return super().media + location_picker_media()

    def clean(self):
        cleaned = super().clean()
        self._clean_times(cleaned)
        self._clean_repeat(cleaned)
        self._clean_place(cleaned)
        return cleaned

    def _clean_place(self, cleaned) -> None:
        """Coordinates both or neither; an event held in person and given neither takes its
        city's (directory.places), one held online only none."""
        if cleaned.get("attendance") == Attendance.ONLINE:
            if "latitude" not in self.errors and "longitude" not in self.errors:
                cleaned["latitude"] = cleaned["longitude"] = None
            return
        country = cleaned.get("country")
        clean_coordinates(self, cleaned, [country.pk] if country else [])

    def _clean_times(self, cleaned) -> None:
        start_date, start_time = cleaned.get("start_date"), cleaned.get("start_time")
        end_time, zone_name = cleaned.get("end_time"), cleaned.get("time_zone")
        needed = {"start_date": start_date, "start_time": start_time, "end_time": end_time}
        if self.is_draft and None in needed.values():
            self._clean_draft_times(cleaned, needed)
            return
        if None in (start_date, start_time, end_time) or not zone_name:
            return
        end_date = cleaned.get("end_date") or start_date
        for name, day in (("start_date", start_date), ("end_date", end_date)):
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_field_error(
                    name,
                    _("Please give a date between %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                    code="year",
                )
                return
        try:
            zone = event_zone(zone_name)
        except ValidationError as error:
            self.add_error("time_zone", error)
            return
        starts_at = dt.datetime.combine(start_date, start_time, tzinfo=zone)
        ends_at = dt.datetime.combine(end_date, end_time, tzinfo=zone)
        if ends_at < starts_at:
            self.add_field_error(
                "end_time" if end_date == start_date else "end_date",
                _("The event cannot end before it starts."),
                code="order",
            )
            return
        cleaned["starts_at"] = starts_at.astimezone(dt.UTC)
        cleaned["ends_at"] = ends_at.astimezone(dt.UTC)

    def _ask_for(self, name: str) -> None:
        self.add_error(name, self.fields[name].error_messages["required"])

    def _clean_draft_times(self, cleaned, needed: dict) -> None:
        """A draft may not say when yet; what it says of it is complete, or it is asked for."""
        given = {name for name, value in needed.items() if value is not None}
        if given or cleaned.get("end_date") is not None:
            for name in needed.keys() - given - set(self.errors):
                self._ask_for(name)
            return
        if not any(name in self.errors for name in needed):
            cleaned["starts_at"] = cleaned["ends_at"] = None

    def _clean_repeat(self, cleaned) -> None:
        repeat, until, rule = cleaned.get("repeat"), cleaned.get("repeat_until"), None
        start_date = cleaned.get("start_date")
        if "recurrence" in self.errors:
            return
        custom = cleaned.get("recurrence", "")
        if repeat == CUSTOM:
            if not custom:
                self.add_field_error(
                    "recurrence",
                    _("Please give the rule, or choose how it repeats above."),
                    code="recurrence",
                )
                return
            rule = custom
            if until is not None:
                if "COUNT=" in rule or "UNTIL=" in rule:
                    self.add_field_error(
                        "repeat_until",
                        _("Your rule already says when it ends: leave this empty."),
                        code="until",
                    )
                    return
                rule += f";UNTIL={until:%Y%m%d}T235959"
        else:
            if custom:
                self.add_field_error(
                    "recurrence",
                    _("Choose “Custom” above to use your own rule, or leave this empty."),
                    code="recurrence",
                )
                return
            if repeat == NO_REPEAT and until is not None:
                self.add_field_error(
                    "repeat_until",
                    _("Choose how the event repeats, or leave this empty."),
                    code="until",
                )
                return
            if start_date is None:
                if repeat == NO_REPEAT:
                    cleaned["rule"] = ""  # a draft that does not say when yet
                elif "start_date" not in self.errors:
                    # Repeats follow the first day: a draft that repeats says when it starts.
                    self.add_error(
                        "start_date", self.fields["start_date"].error_messages["required"]
                    )
                return
            rule = friendly_rule(repeat, start_date, until)
        if until is not None and start_date is not None and until < start_date:
            self.add_field_error(
                "repeat_until",
                _("The repeats cannot end before the event first happens."),
                code="until",
            )
            return
        try:
            cleaned["rule"] = clean_rule(rule)
        except ValidationError as error:
            self.add_error("recurrence", error)

    # --- What the service gets -------------------------------------------------------------------

    def field_values(self) -> dict:
        """Plain values for events.services (the title goes separately to event_create)."""
        cleaned = self.cleaned_data
        values = super().field_values()
        # What a draft's form in error still holds (core.forms.DraftFormMixin.valid_part).
        values.update(
            {
                name: cleaned[name]
                for name in ("starts_at", "ends_at", "time_zone")
                if name in cleaned
            }
        )
        if "rule" in cleaned:
            values["recurrence"] = cleaned["rule"]
        return values

    def relation_rows(self) -> dict:
        rows = super().relation_rows()
        if "tags_text" in self.cleaned_data:
            rows["tags"] = tags_from_names(self.cleaned_data["tags_text"])
        return rows


class EventCreateForm(HoneypotMixin, EventForm):
    """A new event: with a field only bots fill in."""
