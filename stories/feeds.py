"""An Atom feed of the newest published stories."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.models import absolute_url
from stories.jsonld import story_description, story_permanent_url
from stories.models import Story
from stories.services import stories_cached
from stories.views import stories_cache_until

FEED_SIZE = 30
FEED_CACHE_SECONDS = 5 * 60
CACHED_HEADERS = ("Content-Type", "Last-Modified")


def newest_stories(size: int = FEED_SIZE, *, now=None) -> list[Story]:
    """The stories most recently published, newest first: one query for the stories (with
    their authors), one each for their categories and social areas."""
    return list(Story.objects.published(now).newest().with_cards()[:size])


class StoryFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        """The feed from the cache per language while the stories' version holds, and never
        past the moment the next scheduled story comes out: a warm feed runs no query."""
        key = f"stories:feed:{get_language()}"
        version, entry = stories_cached(key)
        if entry is None:
            request.stories_now = timezone.now()
            response = super().__call__(request, *args, **kwargs)
            headers = {name: response[name] for name in CACHED_HEADERS if name in response}
            entry = stories_cache_until(request.stories_now)(
                key,
                {"content": response.content, "headers": headers},
                version=version,
                timeout=FEED_CACHE_SECONDS,
            )
        return HttpResponse(entry["content"], headers=entry["headers"])

    # Addresses are built on SITE_URL, never on the request's host.
    def title(self):
        return _("Stories on %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _("News, blog posts and case studies of digital social innovation.")

    def link(self):
        return absolute_url(reverse("stories:story_list"))

    def feed_url(self):
        return absolute_url(reverse("stories:story_feed"))

    def feed_guid(self):
        return self.feed_url()

    def author_name(self):
        return settings.SITE_NAME

    def author_link(self):
        return absolute_url(reverse("home"))

    def get_object(self, request, *args, **kwargs):
        # One feed object serves every request (and thread): the moment travels on the request.
        return getattr(request, "stories_now", None) or timezone.now()

    def items(self, now):
        return newest_stories(now=now)

    def item_title(self, item):
        return item.title  # plain text; the XML writer escapes it

    def item_description(self, item):
        # Atom1Feed writes <summary type="html">: the plain text is escaped into that HTML.
        return escape(story_description(item))

    def item_link(self, item):
        return story_permanent_url(item)

    def item_author_name(self, item):
        return item.byline or None

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_categories(self, item):
        return [category.name for category in item.categories.all()] + [
            area.name for area in item.social_areas.all()
        ]
