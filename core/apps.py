from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every kind of content shares. Imports no other app of the hub."""

    name = "core"
    verbose_name = _("Core")
