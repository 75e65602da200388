"""An Atom feed of the newest published stories."""

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.feeds import CachedAtomFeed
from stories.jsonld import story_description
from stories.jsonld import story_permanent_url
from stories.models import Story
from stories.services import STORIES
from stories.views import stories_cache_until

FEED_SIZE = 30
FEED_CACHE_SECONDS = 5 * 60


def newest_stories(size: int = FEED_SIZE, *, now=None) -> list[Story]:
    """The stories most recently published, newest first: one query for the stories (with
    their authors), one each for their categories and social areas."""
    return list(Story.objects.published(now).newest().with_cards()[:size])


class StoryFeed(CachedAtomFeed):
    version = STORIES
    cache_name = "stories:feed"
    page_url_name = "stories:story_list"
    feed_url_name = "stories:story_feed"
    cache_timeout = FEED_CACHE_SECONDS

    def cache_key(self, request) -> str:
        # The moment the feed is made for (its items, and how long it may be kept) travels on
        # the request: one Feed instance serves every thread.
        request.stories_now = timezone.now()
        return super().cache_key(request)

    def cache_entry(self, request):
        """Never kept past the moment the next scheduled story comes out."""
        return stories_cache_until(request.stories_now)

    def title(self):
        return _("Stories on %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _("News, blog posts and case studies of digital social innovation.")

    def get_object(self, request, *args, **kwargs):
        return request.stories_now

    def items(self, now):
        return newest_stories(now=now)

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
