"""The facet index counts founding years (directory.facets.YEAR_KEYS): log changes of
`start_date` of published profiles too."""

from django.db import migrations

from core.facets.changes import change_triggers_sql

BEFORE = ["search_title", "listed_at", "updated_at"]
AFTER = [*BEFORE, "start_date"]


def _triggers(columns):
    return [
        change_triggers_sql("directory_organisation", "directory.organisation", columns),
        change_triggers_sql("directory_project", "directory.project", columns),
    ]


def _replace(new, old):
    """Drop the triggers of `old` and create those of `new` (a migration step either way)."""
    return [
        migrations.RunSQL(
            sql=drop_old + create_new,
            reverse_sql=drop_new + create_old,
        )
        for (create_new, drop_new), (create_old, drop_old) in zip(new, old, strict=True)
    ]


class Migration(migrations.Migration):
    dependencies = [("directory", "0014_facet_change_triggers")]

    operations = _replace(_triggers(AFTER), _triggers(BEFORE))
