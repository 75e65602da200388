"""The engine of the hub's Atom feeds: each app's feed names its pages, version and items; this
base class caches the whole response per language under the content's version (a warm feed
runs no query) and builds every address on the hub's address (core.hosts: SITE_URL, or in
development the request's host, which then goes into the cache key too)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language

from core.hosts import site_url
from core.models import absolute_url

FEED_SIZE = 50
FEED_CACHE_SECONDS = 15 * 60
CACHED_HEADERS = ("Content-Type", "Last-Modified")


class CachedAtomFeed(Feed):
    """An Atom feed kept in the cache while its content's version holds.

    Subclasses set `version` (a core.versions.ContentVersion), `cache_name` (the cache key's
    start), `page_url_name` and `feed_url_name` (URL names of the list page and the feed), and
    the items; `cache_key`, `cache_timeout` and `cache_entry` may add what else the feed depends
    on (the day, the next scheduled moment)."""

    feed_type = Atom1Feed
    version = None
    cache_name = ""
    page_url_name = "home"
    feed_url_name = ""
    cache_timeout = FEED_CACHE_SECONDS

    def __call__(self, request, *args, **kwargs):
        key = f"{self.cache_key(request)}:{site_url()}"
        version, entry = self.version.cached(key)
        if entry is None:
            response = super().__call__(request, *args, **kwargs)
            headers = {name: response[name] for name in CACHED_HEADERS if name in response}
            entry = self.cache_entry(request)(
                key,
                {"content": response.content, "headers": headers},
                version=version,
                timeout=self.cache_timeout,
            )
        return HttpResponse(entry["content"], headers=entry["headers"])

    def cache_key(self, request) -> str:
        return f"{self.cache_name}:{get_language()}"

    def cache_entry(self, request):
        """How the made feed is cached (ContentVersion.cache, or one that bounds its time)."""
        return self.version.cache

    def link(self):
        return absolute_url(reverse(self.page_url_name))

    def feed_url(self):
        return absolute_url(reverse(self.feed_url_name))

    def feed_guid(self):
        return self.feed_url()  # the feed's own address identifies it, not its page's

    def author_name(self):
        # Atom wants an author for the feed; the hub publishes it.
        return settings.SITE_NAME

    def author_link(self):
        return absolute_url(reverse("home"))

    def item_title(self, item):
        return item.title  # Atom titles are plain text; the XML writer escapes them

    def item_link(self, item):
        return item.get_permanent_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
