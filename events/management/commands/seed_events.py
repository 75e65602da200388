from core.seed_command import SeedCommand
from events.demo import events_seed_demo


class Command(SeedCommand):
    help = (
        "Add synthetic, published events (for demonstrations and benchmarks) in the "
        "directory's cities, some repeating. Running it again appends."
    )
    counts = {"events": 40}

    def seed(self, *, events, seed):
        return events_seed_demo(count=events, seed=seed)

    def summary(self, report, seconds):
        return (
            f"Added {report.events:,} events ({report.occurrences:,} occurrences) in "
            f"{seconds:.1f}s."
        )
