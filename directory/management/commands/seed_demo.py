from core.seed_command import SeedCommand
from directory.demo import directory_seed_demo


class Command(SeedCommand):
    help = (
        "Add a synthetic, published directory (for demonstrations and benchmarks): "
        "organisations and projects spread like the real data. Running it again appends."
    )
    counts = {"organisations": 60, "projects": 90}

    def seed(self, *, organisations, projects, seed):
        self.log(f"Seeding {organisations:,} organisations and {projects:,} projects ...")
        return directory_seed_demo(
            organisations=organisations, projects=projects, seed=seed, log=self.log
        )

    def summary(self, report, seconds):
        steps = ", ".join(f"{name} {step:.1f}s" for name, step in report.steps.items())
        return (
            f"Added {report.organisations:,} organisations and {report.projects:,} projects "
            f"({report.links:,} links, {report.tags:,} tags in use) in {seconds:.1f}s ({steps})."
        )
