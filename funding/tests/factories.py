"""Test data for funding opportunities: the factory, builders (`opportunity()` open from and to
day offsets), and the samples the app's API and download tests share with core's
(core/tests/test_api.py, test_exports.py)."""

import datetime as dt

import factory
from django.utils import timezone

from core.models import Status
from directory.models import Country
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from funding.models import FundingTarget
from funding.models import FundingType
from funding.models import Opportunity
from funding.services import opportunity_reindex


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
            opportunity_reindex(self)


# --- Builders, and the sample content of the app's tests and of core's shared tests ----


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def opportunity(title, *, opens=-10, closes=30, countries=(), targets=(), areas=(), **fields):
    created = OpportunityFactory(
        title=title,
        opens_on=None if opens is None else days(opens),
        closes_on=None if closes is None else days(closes),
        **fields,
    )
    created.countries.set(countries)
    created.targets.set(targets)
    created.social_areas.set(areas)
    opportunity_reindex(created)
    return created


def api_sample() -> dict:
    """Opportunities open today with what the API shows of them, one opening later, one closed."""
    spain = Country.objects.get(code="ES")
    health = SocialArea.objects.get(slug="health-and-care")
    startup = FundingTarget.objects.get(slug="startup")
    investment = FundingType.objects.get(slug="investment-social-investment")
    fablab = OrganisationFactory(name="Fab Lab Barcelona")
    return {
        "soon": opportunity(
            "Closes soon fund",
            closes=3,
            countries=[spain],
            targets=[startup],
            areas=[health],
            funder=fablab,
            funder_name="",
            funder_website="",
            link="https://fablab.example/apply",
        ),
        "later": opportunity(
            "Closes later fund",
            closes=40,
            funding_type=investment,
            amount_min=None,
            amount_max=250000.5,
            currency="GBP",
        ),
        "rolling": opportunity("Rolling fund", opens=None, closes=None, funder_name=""),
        "upcoming": opportunity("Opens next month", opens=30, closes=90),
        "closed": opportunity("Closed last week", opens=-60, closes=-7),
    }


def download_sample() -> dict:
    """Opportunities open today with what the files show of them, others opening later or closed,
    and hidden ones."""
    spain = Country.objects.get(code="ES")
    france = Country.objects.get(code="FR")
    health = SocialArea.objects.get(slug="health-and-care")
    democracy = SocialArea.objects.get(slug="digital-democracy")
    startup = FundingTarget.objects.get(slug="startup")
    individuals = FundingTarget.objects.get(slug="individuals")
    investment = FundingType.objects.get(slug="investment-social-investment")
    fablab = OrganisationFactory(name="Fab Lab Barcelona")
    hidden_funder = OrganisationFactory(name="Draft funder", status=Status.DRAFT)
    for status in (Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED):
        OpportunityFactory(title=f"Hidden {status} fund", status=status)
    return {
        "soon": opportunity(
            "Closes soon fund",
            closes=3,
            countries=[spain, france],
            targets=[individuals, startup],
            areas=[democracy, health],
            funder=fablab,
            funder_name="",
            link="https://fablab.example/apply",
            description='<p>Grants, "small".</p>\n<p>Second line</p>',
        ),
        "later": opportunity(
            "Closes later fund",
            closes=40,
            funding_type=investment,
            amount_min=None,
            amount_max=250000.5,
            currency="GBP",
            funder_name="=Formula Trust",
            funder_website="",
        ),
        "rolling": opportunity(
            "Rolling fund", opens=None, closes=None, funder=hidden_funder, funder_name=""
        ),
        "upcoming": opportunity("Opens next month", opens=30, closes=90),
        "closed": opportunity("Closed last week", opens=-60, closes=-7),
    }
