"""An Atom feed of the funding opportunities most recently published on the hub that are open
or opening later, each with its closing date."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.feeds import FEED_SIZE
from core.feeds import CachedAtomFeed
from funding.display import present
from funding.models import Opportunity
from funding.services import FUNDING


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


class OpportunityFeed(CachedAtomFeed):
    version = FUNDING
    cache_name = "funding:feed"
    page_url_name = "funding:opportunity_list"
    feed_url_name = "funding:opportunity_feed"

    def cache_key(self, request) -> str:
        """Per language and day: yesterday's feed, which may list what closed at midnight, is
        never served."""
        # The day goes on the request, not on this Feed (one instance serves every thread).
        day = request.funding_day = timezone.localdate()
        return f"{self.cache_name}:{get_language()}:day:{day.isoformat()}"

    def title(self):
        return _("Funding on %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _(
            "Grants, investment and other support for digital social innovation, open now or "
            "opening soon, as they are published."
        )

    def get_object(self, request, *args, **kwargs):
        return request.funding_day  # the day the feed is made for: items(day)

    def items(self, day):
        return newest_opportunities(day=day)

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

    def item_categories(self, item):
        return [item.funding_type.name]
