from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ExploreConfig(AppConfig):
    """The Explore section: the map, the network, the statistics and their embeds, made from
    the directory's facet index and the events and funding lists (it imports them; nothing
    imports it)."""

    name = "explore"
    verbose_name = _("Explore")

    def ready(self):
        from directory.versions import DIRECTORY
        from directory.versions import LINKS
        from explore.tasks import network_warm

        def warm_network():
            """The unfiltered network made again in the background after a change (only its
            names, unless the links changed): the visitor after an edit finds it made."""
            if settings.EXPLORE_WARM_NETWORK:
                network_warm.delay()

        LINKS.after_bump(warm_network)
        DIRECTORY.after_bump(warm_network)
