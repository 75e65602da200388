from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.files import track_stored_files


class CoreConfig(AppConfig):
    """What every kind of content shares. Imports no other app of the hub."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        track_stored_files()
        # Models are loaded only now (the module names one).
        from core.pending_images import track_pending_images

        track_pending_images()
