"""Filter keys of the profiles already there, as directory.search now makes them:

- grid cells of the map (`cell:<zoom>:<x>:<y>`, core.search.grid_keys) for profiles with
  coordinates;
- an organisation's social areas, technologies and DSI focus (`area:`, `tech:`, `focus:`)
  from its published projects, and a project's countries (`country:`) from its published
  organisations when it names none of its own.

Nothing else of the rows changes (no history, no "Last updated")."""

from django.db import migrations

from core.search import grid_keys

BATCH = 1000

# As directory.search.ORGANISATION_LINKED_KEYS and PROJECT_LINKED_KEYS were when this migration
# was written, for every row (the status is core.models.Status.PUBLISHED).
ORGANISATIONS = """
    WITH wanted AS (
        SELECT org.id, ARRAY(SELECT key FROM (
            SELECT key FROM unnest(org.facet_keys) AS key WHERE key !~ '^(area|tech|focus):'
            UNION
            SELECT prefix || term_id FROM directory_projectorganisation AS po
            JOIN directory_project AS p ON p.id = po.project_id AND p.status = 'published'
            JOIN (
                SELECT project_id, 'area:' AS prefix, socialarea_id AS term_id
                FROM directory_project_social_areas
                UNION ALL SELECT project_id, 'tech:', technology_id
                FROM directory_project_technologies
                UNION ALL SELECT project_id, 'focus:', dsifocus_id FROM directory_project_focus
            ) AS terms ON terms.project_id = p.id
            WHERE po.organisation_id = org.id
        ) AS linked ORDER BY key COLLATE "C")::varchar(140)[] AS keys
        FROM directory_organisation AS org
    )
    UPDATE directory_organisation AS org SET facet_keys = wanted.keys FROM wanted
    WHERE org.id = wanted.id AND org.facet_keys <> wanted.keys
"""
PROJECTS = """
    WITH wanted AS (
        SELECT p.id, ARRAY(SELECT key FROM (
            SELECT key FROM unnest(p.facet_keys) AS key WHERE key NOT LIKE 'country:%'
            UNION
            SELECT 'country:' || country_id FROM directory_project_countries WHERE project_id = p.id
            UNION
            SELECT 'country:' || org.country_id FROM directory_projectorganisation AS po
            JOIN directory_organisation AS org ON org.id = po.organisation_id
                AND org.status = 'published' AND org.country_id IS NOT NULL
            WHERE po.project_id = p.id
                AND NOT EXISTS (SELECT FROM directory_project_countries WHERE project_id = p.id)
        ) AS linked ORDER BY key COLLATE "C")::varchar(140)[] AS keys
        FROM directory_project AS p
    )
    UPDATE directory_project AS p SET facet_keys = wanted.keys FROM wanted
    WHERE p.id = wanted.id AND p.facet_keys <> wanted.keys
"""


def add_grid_keys(apps, schema_editor):
    for name in ("Organisation", "Project"):
        model = apps.get_model("directory", name)
        rows = model.objects.filter(latitude__isnull=False, longitude__isnull=False)
        batch = []
        for row in rows.only("pk", "latitude", "longitude", "facet_keys").iterator(BATCH):
            keys = sorted({*row.facet_keys, *grid_keys(row.latitude, row.longitude)})
            if keys != row.facet_keys:
                row.facet_keys = keys
                batch.append(row)
            if len(batch) == BATCH:
                model.objects.bulk_update(batch, ["facet_keys"])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["facet_keys"])


def add_linked_keys(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(ORGANISATIONS)
        cursor.execute(PROJECTS)


class Migration(migrations.Migration):
    dependencies = [("directory", "0011_invitations_withdrawn")]

    operations = [
        migrations.RunPython(add_grid_keys, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_linked_keys, migrations.RunPython.noop, elidable=True),
    ]
