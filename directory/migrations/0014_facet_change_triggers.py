"""Log changes of published profiles for the lists' facet index (core.facets.changes)."""

from django.db import migrations

from core.facets.changes import change_triggers_sql

SORT_COLUMNS = ["search_title", "listed_at", "updated_at"]
ORGANISATIONS = change_triggers_sql(
    "directory_organisation", "directory.organisation", SORT_COLUMNS
)
PROJECTS = change_triggers_sql("directory_project", "directory.project", SORT_COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_facet_changes"),
        ("directory", "0013_text_index"),
    ]

    operations = [
        migrations.RunSQL(*ORGANISATIONS),
        migrations.RunSQL(*PROJECTS),
    ]
