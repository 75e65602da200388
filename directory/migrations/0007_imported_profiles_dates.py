"""The dates of profiles imported from the 2017 export before the importer kept them apart.

The importer used to give a profile whose 2017 `created` date was unknown the moment of the
import as its creation and publication date, and a known one as its publication date too. Now
`created_at` is the 2017 date or empty, and `published_at` the moment it was published on the hub
(the import's history revision). Running it again changes nothing.
"""

import datetime as dt

from django.db import migrations
from django.db.models import CharField
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Subquery
from django.db.models.functions import Cast
from django.db.models.functions import Coalesce

# The 2017 export was taken on 2017-04-14: it holds no creation date after it, so a later one is
# the moment of an import that did not know the date.
SNAPSHOT_END = dt.datetime(2017, 4, 15, tzinfo=dt.UTC)
REVISION_COMMENT = "Imported from the 2017 digitalsocial.eu export"


def imported_dates(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    for model_name in ("organisation", "project"):
        model = apps.get_model("directory", model_name)
        imported = model.objects.filter(legacy_id__isnull=False)
        content_type = ContentType.objects.filter(app_label="directory", model=model_name).first()
        if content_type is not None:
            import_moment = (
                Version.objects.filter(
                    content_type=content_type,
                    object_id=Cast(OuterRef("pk"), CharField()),
                    revision__comment__startswith=REVISION_COMMENT,
                )
                .order_by("revision__date_created")
                .values("revision__date_created")[:1]
            )
            # Published on the hub when it was imported, not in 2016 or 2017.
            imported.filter(published_at__lt=SNAPSHOT_END).update(
                published_at=Coalesce(Subquery(import_moment), F("published_at"))
            )
        imported.filter(created_at__gte=SNAPSHOT_END).update(created_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("directory", "0006_profile_dates_listed_at"),
    ]

    operations = [migrations.RunPython(imported_dates, migrations.RunPython.noop)]
