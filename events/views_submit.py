"""Practitioners' pages for events: add one, edit it, preview it, submit it for review, and the
list of "my events" with their review status.

The pages are core.submission_views's, shared with funding opportunities (thin views, rate
limits, honeypot, who may change what); this module says what is the events' own: their forms,
services, preview (repeats in words, next times) and what "my events" shows of each.
"""

from django.utils.translation import gettext_lazy as _

from core.submission_views import SubmissionViews
from events import services
from events.forms import EventCreateForm, EventForm, repeat_label
from events.models import Event

NEXT_TIMES_SHOWN = 5


def preview_context(event: Event) -> dict:
    """What the preview shows besides the event: its repeats in words and its next times."""
    return {
        "event": event,
        "repeat_label": repeat_label(event),
        "next_times": list(event.occurrences.all()[:NEXT_TIMES_SHOWN]) if event.repeats else [],
    }


class EventSubmissionViews(SubmissionViews):
    model = Event
    name = "event"
    namespace = "events"
    create_form = EventCreateForm
    edit_form = EventForm
    forbidden_message = _("Only the person who submitted this event can do that.")
    mine_related = ("country", "organiser")

    can_edit = staticmethod(services.event_can_edit)
    create_object = staticmethod(services.event_create)
    # The admin's preview shows the same.
    preview_context = staticmethod(preview_context)

    def update_object(self, event, **changes) -> None:
        services.event_update(event=event, **changes)

    def submit_object(self, event, *, user) -> None:
        services.event_submit(event=event, user=user)


pages = EventSubmissionViews()
event_create = pages.create_view
event_edit = pages.edit_view
event_preview = pages.preview_view
event_submit = pages.submit_view
event_mine = pages.mine_view
