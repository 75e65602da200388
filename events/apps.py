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

        from events.models import Event

        reversion.register(Event, exclude=UNVERSIONED)
