from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DsiHubConfig(AppConfig):
    name = "dsi_hub"
    verbose_name = _("DSI Hub")
