"""The checks of the import (importing_review) and the gazetteer's city names (directory.cities)
applied to profiles imported from the 2017 export before the importer had them: the way to mend
a directory imported earlier (`import_dsi4eu --review-existing`).

Only published profiles still as imported are changed (nobody has edited them since: their
history holds the import alone), each with a history entry naming what changed and the city as
it was spelled. Running it again changes nothing.
"""

import reversion
from django.db import transaction
from django.db.models import Count
from django.db.models import Q
from django.utils import timezone
from reversion.models import Version

from core.models import Status
from directory.models import Organisation
from directory.models import Project
from directory.search import profile_reindex
from directory.services.import_records import REVISION_COMMENT
from directory.services.import_records import ImportReport
from directory.services.importing_review import review_flags
from directory.services.importing_review import spam_score
from directory.versions import directory_changed

REVIEW_COMMENT = "2017 import reviewed"


def _untouched(model) -> list:
    """The model's imported profiles whose history holds the import's version alone."""
    rows = model.objects.filter(legacy_id__isnull=False).order_by("legacy_id")
    rows = (
        rows.select_related("country")
        if model is Organisation
        else rows.prefetch_related("countries")
    )
    rows = list(rows)
    history = (
        Version.objects.get_for_model(model)
        .filter(object_id__in=[str(row.pk) for row in rows])
        .values_list("object_id")
        .annotate(
            versions=Count("pk"),
            imports=Count("pk", filter=Q(revision__comment__startswith=REVISION_COMMENT)),
        )
    )
    as_imported = {
        object_id for object_id, versions, imports in history if versions == imports == 1
    }
    return [row for row in rows if str(row.pk) in as_imported]


@transaction.atomic
def directory_review_imported() -> ImportReport:
    """Hold back the suspect published 2017 profiles and write their cities as the gazetteer
    does, for profiles imported before the importer did so; a report of what changed."""
    report = ImportReport()
    changed_public = False
    now = timezone.now()
    for model in (Organisation, Project):
        kind = f"{model._meta.model_name}s"
        profiles = _untouched(model)
        flags = review_flags(profiles, model, against_directory=False)
        for index, profile in enumerate(profiles):
            notes, fields = [], []
            city = profile.city_as_written(profile.city, profile.city_country_code())
            if city != profile.city:
                report.cities_renamed[f"{profile.city} → {city}"] += 1
                notes.append(f"city “{profile.city}” written “{city}”")
                profile.city = city
                fields.append("city")
            found = flags.get(index)
            if found and profile.status == Status.PUBLISHED:
                profile.status = Status.PENDING
                profile.submitted_at = now
                profile.spam_signals = [f"2017 import: {flag.reason}" for flag in found]
                profile.spam_score = spam_score(found)
                fields += ["status", "submitted_at", "spam_signals", "spam_score"]
                reasons = "; ".join(flag.reason for flag in found)
                notes.append(f"held back for review: {reasons}")
                report.held_for_review.append(
                    f"{kind} {profile.legacy_id} “{profile.name}”: {reasons}"
                )
            if not fields:
                continue
            with reversion.create_revision():
                # Not an edit of its content: "Last updated" stays as it was.
                profile.save(update_fields=fields)
                reversion.set_comment(f"{REVIEW_COMMENT}: " + "; ".join(notes))
            profile_reindex(profile)
            changed_public = True
    if changed_public:
        directory_changed()
    return report
