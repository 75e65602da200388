"""An Atom feed of the profiles most recently published in the directory."""

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.feeds import FEED_SIZE
from core.feeds import CachedAtomFeed
from core.models import absolute_url
from directory.models import Organisation
from directory.models import Project
from directory.versions import DIRECTORY

FEED_FIELDS = [
    "pk",
    "slug",
    "name",
    "short_description",
    "legacy_id",
    "created_at",
    "listed_at",
    "published_at",
    "updated_at",
]


def newest_profiles(size: int = FEED_SIZE) -> list:
    """The most recently listed organisations and projects together, newest first: the newest
    `size` of each kind (one query each, on their listed-date index), merged. Profiles imported
    from 2017 without a known date are never new."""
    rows = []
    for model in (Organisation, Project):
        rows += (
            model.objects.published()
            .filter(listed_at__isnull=False)
            .newest()
            .only(*FEED_FIELDS)[:size]
        )
    rows.sort(key=lambda profile: (profile.listed_at, profile.kind, profile.pk), reverse=True)
    return rows[:size]


class NewProfilesFeed(CachedAtomFeed):
    version = DIRECTORY
    cache_name = "feeds:new"
    feed_url_name = "feeds:new"

    def title(self):
        return _("New on %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _(
            "Organisations and projects of digital social innovation in Europe, "
            "as they are published in the directory."
        )

    def items(self):
        return newest_profiles()

    def item_title(self, item):
        return item.name

    def item_description(self, item):
        # Atom1Feed writes <summary type="html">: the plain-text description is escaped.
        return escape(item.short_description)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.listed_at

    def item_categories(self, item):
        return [str(item._meta.verbose_name)]
