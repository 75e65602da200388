"""An Atom feed of the funding opportunities most recently published on the hub that are open
or opening later, each with its closing date."""

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.models import absolute_url
from funding.display import present
from funding.models import Opportunity
from funding.services import opportunities_cache, opportunities_cached

FEED_SIZE = 50
FEED_CACHE_SECONDS = 15 * 60
CACHED_HEADERS = ("Content-Type", "Last-Modified")


def newest_opportunities(size: int = FEED_SIZE, *, day: dt.date | None = None) -> list:
    """The published opportunities not closed on `day` (open, or opening later), published
    most recently first, with their timing and amounts for the summaries: one query."""
    day = day or timezone.localdate()
    rows = (
        Opportunity.objects.published()
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=day), published_at__isnull=False)
        .select_related("funding_type", "funder")
        .order_by("-published_at", "-pk")[:size]
    )
    return [present(row, day) for row in rows]


class OpportunityFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        """The feed from the cache per language and day while the opportunities' version holds
        (read in one round trip with it): a warm feed runs no query, and yesterday's feed,
        which may list what closed at midnight, is never served."""
        # The day goes on the request, not on this Feed (one instance serves every thread).
        day = request.funding_day = timezone.localdate()
        key = f"funding:feed:{get_language()}:day:{day.isoformat()}"
        version, entry = opportunities_cached(key)
        if entry is None:
            response = super().__call__(request, *args, **kwargs)
            headers = {name: response[name] for name in CACHED_HEADERS if name in response}
            entry = opportunities_cache(
                key,
                {"content": response.content, "headers": headers},
                version=version,
                timeout=FEED_CACHE_SECONDS,
            )
        return HttpResponse(entry["content"], headers=entry["headers"])

    # Addresses are built on SITE_URL, never on the request's host.
    def title(self):
        return _("Funding on %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _(
            "Grants, investment and other support for digital social innovation, open now or "
            "opening soon, as they are published."
        )

    def link(self):
        return absolute_url(reverse("funding:opportunity_list"))

    def feed_url(self):
        return absolute_url(reverse("funding:opportunity_feed"))

    def feed_guid(self):
        return self.feed_url()

    def author_name(self):
        return settings.SITE_NAME

    def author_link(self):
        return absolute_url(reverse("home"))

    def get_object(self, request, *args, **kwargs):
        return request.funding_day  # the day the feed is made for: items(day)

    def items(self, day):
        return newest_opportunities(day=day)

    def item_title(self, item):
        return item.title  # plain text; the XML writer escapes it

    def item_description(self, item):
        # Atom1Feed writes <summary type="html">: every value is escaped into that HTML.
        funder = item.funder_label
        lines = [
            item.timing.text,
            item.amount_text,
            _("From %(funder)s") % {"funder": funder} if funder else "",
            item.short_description,
        ]
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines if line))

    def item_link(self, item):
        return item.get_permanent_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.funding_type.name]
