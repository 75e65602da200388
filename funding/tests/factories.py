import datetime as dt

import factory
from django.utils import timezone

from core.models import Status
from funding.models import FundingType, Opportunity


class OpportunityFactory(factory.django.DjangoModelFactory):
    """A published grant, open now and closing in 30 days, reindexed."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Civic tech fund {n}")
    slug = factory.Sequence(lambda n: f"civic-tech-fund-{n}")
    short_description = "Grants for open, collaborative technology with a social purpose."
    description = "<p>Up to €50,000 for projects that use open technology for social good.</p>"
    funder_name = "Open Society Tech Foundation"
    funder_website = "https://example.org"
    funding_type = factory.LazyFunction(lambda: FundingType.objects.get(slug="grant-funding"))
    amount_min = 5000
    amount_max = 50000
    currency = "EUR"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    link = "https://example.org/apply"
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        if create:
            from funding.services import opportunity_reindex

            opportunity_reindex(self)
