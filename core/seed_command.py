"""The base of the management commands that add demo data (seed_demo, seed_events,
seed_funding): one option per count (`--events 40`), `--seed` for repeatable randomness, a
refusal of negative counts, progress lines stamped with the time taken, and a closing line that
says what was added and in how long."""

import time

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError


class SeedCommand(BaseCommand):
    """Subclasses set `counts` (option name -> default count) and implement `seed()`, which
    adds the data through the app's demo module and returns its report, and `summary()`, the
    closing line."""

    counts: dict[str, int] = {}

    def add_arguments(self, parser):
        for name, default in self.counts.items():
            parser.add_argument(
                f"--{name}", type=int, default=default, help=f"How many (default {default})."
            )
        parser.add_argument("--seed", type=int, default=None, help="Repeatable randomness.")

    def handle(self, *args, seed, **options):
        counts = {name: options[name] for name in self.counts}
        if any(count < 0 for count in counts.values()):
            names = " and ".join(f"--{name}" for name in counts)
            raise CommandError(f"{names} must be 0 or more.")
        self.started = time.monotonic()
        report = self.seed(seed=seed, **counts)
        self.stdout.write(self.style.SUCCESS(self.summary(report, self.elapsed())))

    def elapsed(self) -> float:
        """Seconds since the seeding started."""
        return time.monotonic() - self.started

    def log(self, message: str) -> None:
        """A progress line, stamped with the seconds since the seeding started."""
        self.stdout.write(f"[{self.elapsed():7.1f}s] {message}")
        self.stdout.flush()

    def seed(self, *, seed: int | None, **counts):
        raise NotImplementedError

    def summary(self, report, seconds: float) -> str:
        raise NotImplementedError
