"""Load the original digitalsocial.eu export (shared/data/dsi4eu-2017) into the directory."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from directory.services.import_records import ImportDataError
from directory.services.importing import directory_import_dsi4eu
from directory.services.importing_existing import directory_review_imported


def read_export(path: Path, kind: str) -> list:
    """The records of one export file, or CommandError saying what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(
            _("%(kind)s file not found: %(path)s") % {"kind": kind, "path": path}
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            _("Cannot read the %(kind)s file %(path)s: %(error)s")
            % {"kind": kind, "path": path, "error": error}
        ) from None
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            _("The %(kind)s file %(path)s is not valid JSON: %(error)s")
            % {"kind": kind, "path": path, "error": error}
        ) from None
    if not isinstance(records, list):
        raise CommandError(
            _("The %(kind)s file %(path)s must hold a JSON list of records, not a %(type)s.")
            % {"kind": kind, "path": path, "type": type(records).__name__}
        )
    return records


class Command(BaseCommand):
    help = (
        "Import the 2017 digitalsocial.eu export (organisations.json, projects.json), published "
        "under CC BY-NC-SA 4.0, but for rows that look like tests, spam or duplicates, which "
        "wait for review. Safe to run again: profiles already imported are skipped. With "
        "--review-existing, apply those checks and the gazetteer's city names to the profiles "
        "imported before, left as imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=Path, metavar="PATH")
        parser.add_argument("--projects", type=Path, metavar="PATH")
        parser.add_argument(
            "--review-existing",
            action="store_true",
            help="Check the profiles imported earlier instead of importing files.",
        )

    def handle(self, *args, **options):
        if options["review_existing"]:
            for line in directory_review_imported().review_lines():
                self.stdout.write(line)
            return
        if not (options["organisations"] and options["projects"]):
            raise CommandError(
                _("Give --organisations and --projects (the export's files), or --review-existing.")
            )
        paths = {kind: Path(options[kind]) for kind in ("organisations", "projects")}
        records = {kind: read_export(path, kind) for kind, path in paths.items()}
        started = time.monotonic()
        try:
            report = directory_import_dsi4eu(**records)
        except ImportDataError as error:
            lines = [_("Nothing was imported: the export has problems.")]
            lines += [f"{paths[problem.kind]}: {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                _("Done in %(seconds).1f s.") % {"seconds": time.monotonic() - started}
            )
        )
