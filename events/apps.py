from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Derived columns, rebuilt from the rest (events.services.event_reindex): not kept in history.
UNVERSIONED = [
    "search_title",
    "search_body",
    "search_vector",
    "facet_keys",
    "first_starts_at",
    "last_ends_at",
]


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        import reversion

        from core.api.routes import register_api_route
        from core.exports import register_export
        from core.moderation import register_moderated
        from events.api.views import EventViewSet
        from events.exports import EVENTS
        from events.models import Event

        reversion.register(Event, exclude=UNVERSIONED)
        register_export(EVENTS)
        register_api_route("events", EventViewSet, basename="event", order=30)
        register_moderated(Event, order=30)
