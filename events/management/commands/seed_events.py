import time

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from events.demo import events_seed_demo


class Command(BaseCommand):
    help = (
        "Add synthetic, published events (for demonstrations and benchmarks) in the "
        "directory's cities, some repeating. Running it again appends."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=40, help="How many (default 40).")
        parser.add_argument("--seed", type=int, default=None, help="Repeatable randomness.")

    def handle(self, *args, events, seed, **options):
        if events < 0:
            raise CommandError("--events must be 0 or more.")
        started = time.monotonic()
        report = events_seed_demo(count=events, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {report.events:,} events ({report.occurrences:,} occurrences) in "
                f"{time.monotonic() - started:.1f}s."
            )
        )
