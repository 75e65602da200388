from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Derived columns, rebuilt from the rest (events.services.event_reindex): not kept in history,
# beside those every submitted kind has (core.kinds.UNVERSIONED).
UNVERSIONED = ["first_starts_at", "last_ends_at"]


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from accounts.signals import account_deleting
        from accounts.signals import account_exporting
        from core.kinds import register_submitted_kind
        from core.personal_data import SubmittedItems
        from events.api.views import EventViewSet
        from events.exports import EVENTS
        from events.models import Event

        # /api/v1/events/, its URLs named "event-list" and "event-detail".
        register_submitted_kind(
            Event, export=EVENTS, viewset=EventViewSet, order=30, unversioned=UNVERSIONED
        )
        # What a person submitted: in their download; what is not public goes with them.
        theirs = SubmittedItems(Event, section="events")
        account_exporting.connect(theirs.export, weak=False, dispatch_uid="events_export_person")
        account_deleting.connect(theirs.forget, weak=False, dispatch_uid="events_forget_person")
