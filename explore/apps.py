from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExploreConfig(AppConfig):
    """The Explore section: the map, the network, the statistics and their embeds, made from
    the directory's facet index and the events and funding lists (it imports them; nothing
    imports it)."""

    name = "explore"
    verbose_name = _("Explore")
