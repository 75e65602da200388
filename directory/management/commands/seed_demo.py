import time

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from directory.demo import directory_seed_demo


class Command(BaseCommand):
    help = (
        "Add a synthetic, published directory (for demonstrations and benchmarks): "
        "organisations and projects spread like the real data. Running it again appends."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=60, help="How many (default 60).")
        parser.add_argument("--projects", type=int, default=90, help="How many (default 90).")
        parser.add_argument("--seed", type=int, default=None, help="Repeatable randomness.")

    def handle(self, *args, organisations, projects, seed, **options):
        if organisations < 0 or projects < 0:
            raise CommandError("--organisations and --projects must be 0 or more.")
        started = time.monotonic()

        def log(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:7.1f}s] {message}")
            self.stdout.flush()

        log(f"Seeding {organisations:,} organisations and {projects:,} projects ...")
        report = directory_seed_demo(
            organisations=organisations, projects=projects, seed=seed, log=log
        )
        steps = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in report.steps.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {report.organisations:,} organisations and {report.projects:,} projects "
                f"({report.links:,} links, {report.tags:,} tags in use) in "
                f"{time.monotonic() - started:.1f}s ({steps})."
            )
        )
