import time

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from funding.demo import opportunities_seed_demo


class Command(BaseCommand):
    help = (
        "Add synthetic, published funding opportunities (for demonstrations and benchmarks): "
        "spread over types, applicants, countries and dates, a quarter rolling. Running it "
        "again appends."
    )

    def add_arguments(self, parser):
        parser.add_argument("--opportunities", type=int, default=20, help="How many (default 20).")
        parser.add_argument("--seed", type=int, default=None, help="Repeatable randomness.")

    def handle(self, *args, opportunities, seed, **options):
        if opportunities < 0:
            raise CommandError("--opportunities must be 0 or more.")
        started = time.monotonic()
        try:
            report = opportunities_seed_demo(count=opportunities, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {report.opportunities:,} funding opportunities in "
                f"{time.monotonic() - started:.1f}s."
            )
        )
