"""Events in the Django admin: the moderators' queue, and editors adding events themselves.

Community admins see pending events first, preview them as the public would, approve or reject
them (one or many, rejection with a reason the author is emailed), and read or revert each
event's history. Times are read and written in the event's own time zone. Every admin save
rewrites the event's occurrences and search text, and moves the events' cache version on when
the public sees a change.
"""

import zoneinfo

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.html import sanitize_html
from core.moderation_admin import MODERATION_FIELDSET
from core.moderation_admin import SubmissionAdminForm
from core.moderation_admin import approve_action
from core.moderation_admin import reject_action
from core.submission_admin import SubmissionAdmin
from events import views
from events.forms import EventRuleFieldsMixin
from events.models import DEFAULT_TIME_ZONE
from events.models import Event
from events.services import LIFECYCLE
from events.services import RESERVED_SLUGS


class EventAdminForm(EventRuleFieldsMixin, SubmissionAdminForm):
    """The admin's form: a rule and a time zone checked as on the public form; a slug made
    from the title when left empty."""

    unique_slug = staticmethod(LIFECYCLE.unique_slug)
    reserved_slugs = RESERVED_SLUGS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            if name in self.fields:
                self.fields[name].help_text = _("In the event's time zone (below).")

    def clean_description(self):
        return sanitize_html(self.cleaned_data.get("description", ""))


@admin.register(Event)
class EventAdmin(SubmissionAdmin):
    pages = views.pages
    form = EventAdminForm
    list_columns = ["first_occurrence", "city"]
    list_filter = ["status", "attendance", "is_free"]
    list_select_related = ["created_by"]
    search_fields = ["title", "city", "organiser_name"]
    autocomplete_fields = ["country", "organiser", "tags"]
    filter_horizontal = ["social_areas"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "short_description", "description"]}),
        (_("When"), {"fields": ["starts_at", "ends_at", "time_zone", "recurrence"]}),
        (
            _("Where"),
            {
                "fields": [
                    "attendance",
                    "venue",
                    "address",
                    "city",
                    "country",
                    ("latitude", "longitude"),
                    "link",
                ]
            },
        ),
        (_("Price"), {"fields": ["is_free", "price_note"]}),
        (
            _("Organiser and topics"),
            {"fields": ["organiser", "organiser_name", "social_areas", "tags"]},
        ),
        MODERATION_FIELDSET,
    ]

    @admin.display(description=_("first occurrence"), ordering="first_starts_at")
    def first_occurrence(self, obj):
        if obj.first_starts_at is None:
            return "–"
        try:
            zone = zoneinfo.ZoneInfo(obj.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            zone = zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)
        local = timezone.localtime(obj.first_starts_at, zone)
        return f"{date_format(local, 'SHORT_DATETIME_FORMAT')} ({obj.time_zone})"

    # Times in the event's own zone: the form shows and reads them there.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(self._form_zone(request, object_id)):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _form_zone(self, request, object_id) -> zoneinfo.ZoneInfo:
        names = []
        if request.method == "POST":
            names.append(request.POST.get("time_zone", ""))
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                names.append(obj.time_zone)
        for name in [*names, DEFAULT_TIME_ZONE]:
            try:
                return zoneinfo.ZoneInfo(name.strip())
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                continue
        return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)

    # Saving (who added it, derived rows, cache version): core.moderation_admin.

    # Approve and reject: bulk actions and single buttons (core.moderation_admin), through the
    # lifecycle (core.submission_admin).

    def nothing_pending_message(self) -> str:
        return gettext("None of the selected events is waiting for review: nothing changed.")

    approve_selected = approve_action(_("Approve and publish the selected events"))
    reject_selected = reject_action(_("Reject the selected events (asks for a reason)"))
