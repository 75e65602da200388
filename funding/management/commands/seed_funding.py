from django.core.management.base import CommandError

from core.seed_command import SeedCommand
from funding.demo import opportunities_seed_demo


class Command(SeedCommand):
    help = (
        "Add synthetic, published funding opportunities (for demonstrations and benchmarks): "
        "spread over types, applicants, countries and dates, a quarter rolling. Running it "
        "again appends."
    )
    counts = {"opportunities": 20}

    def seed(self, *, opportunities, seed):
        try:
            return opportunities_seed_demo(count=opportunities, seed=seed)
        except ValueError as error:  # nothing to seed from
            raise CommandError(str(error)) from error

    def summary(self, report, seconds):
        return f"Added {report.opportunities:,} funding opportunities in {seconds:.1f}s."
