"""Log the changes of the search tables for each worker's word index (core.word_index)."""

from django.db import migrations

from core.facets.changes import vector_change_triggers_sql

ORGANISATIONS = vector_change_triggers_sql("directory_organisationtext", "directory.organisation")
PROJECTS = vector_change_triggers_sql("directory_projecttext", "directory.project")


class Migration(migrations.Migration):
    dependencies = [("directory", "0015_facet_changes_start_date")]

    operations = [
        migrations.RunSQL(ORGANISATIONS[0], ORGANISATIONS[1]),
        migrations.RunSQL(PROJECTS[0], PROJECTS[1]),
    ]
