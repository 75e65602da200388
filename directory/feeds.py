"""An Atom feed of the profiles most recently published in the directory."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.models import absolute_url
from directory.models import Organisation, Project
from directory.versions import directory_cache, directory_cached

FEED_SIZE = 50
FEED_CACHE_SECONDS = 15 * 60
FEED_FIELDS = ["pk", "slug", "name", "short_description", "published_at", "updated_at"]
CACHED_HEADERS = ("Content-Type", "Last-Modified")


def newest_profiles(size: int = FEED_SIZE) -> list:
    """The most recently published organisations and projects together, newest first: the
    newest `size` of each kind (one query each, on their published-date index), merged."""
    rows = []
    for model in (Organisation, Project):
        rows += (
            model.objects.published()
            .filter(published_at__isnull=False)
            .newest()
            .only(*FEED_FIELDS)[:size]
        )
    rows.sort(key=lambda profile: (profile.published_at, profile.kind, profile.pk), reverse=True)
    return rows[:size]


class NewProfilesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        """The feed from the cache per language while the directory's version holds (read in
        one round trip with it): a warm feed runs no query."""
        key = f"feeds:new:{get_language()}"
        version, entry = directory_cached(key)
        if entry is None:
            response = super().__call__(request, *args, **kwargs)
            headers = {name: response[name] for name in CACHED_HEADERS if name in response}
            entry = directory_cache(
                key,
                {"content": response.content, "headers": headers},
                version=version,
                timeout=FEED_CACHE_SECONDS,
            )
        return HttpResponse(entry["content"], headers=entry["headers"])

    # Addresses are built on SITE_URL, never on the request's host.
    def title(self):
        return _("New on %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _(
            "Organisations and projects of digital social innovation in Europe, "
            "as they are published in the directory."
        )

    def link(self):
        return absolute_url(reverse("home"))

    def feed_url(self):
        return absolute_url(reverse("feeds:new"))

    def feed_guid(self):
        return self.feed_url()  # the feed's own address identifies it, not the home page's

    def author_name(self):
        # Atom wants an author for the feed; the hub publishes it.
        return settings.SITE_NAME

    def author_link(self):
        return absolute_url(reverse("home"))

    def items(self):
        return newest_profiles()

    def item_title(self, item):
        return item.name  # Atom titles are plain text; the XML writer escapes them

    def item_description(self, item):
        # Atom1Feed writes <summary type="html">: the plain-text description is escaped.
        return escape(item.short_description)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [str(item._meta.verbose_name)]
