"""The narrow search tables of organisations and projects (core.text_index_tables): created,
kept in step by triggers on the profile tables, filled with the published profiles, then
indexed (one GIN build is faster than 100,000 insertions into it)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations
from django.db import models

from core.text_index_tables import text_index_operations

FIELDS = [
    ("id", models.IntegerField(primary_key=True, serialize=False)),
    ("title", models.TextField()),
    ("vector", django.contrib.postgres.search.SearchVectorField()),
    ("title_vector", django.contrib.postgres.search.SearchVectorField()),
]


def indexes(model_name: str, prefix: str) -> list:
    return [
        migrations.AddIndex(
            model_name=model_name,
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["vector"], name=f"{prefix}_vector"
            ),
        ),
        migrations.AddIndex(
            model_name=model_name,
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["title_vector"], name=f"{prefix}_title"
            ),
        ),
        migrations.AddIndex(
            model_name=model_name,
            index=models.Index(fields=["title", "id"], name=f"{prefix}_name"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0012_linked_and_grid_facet_keys"),
    ]

    operations = [
        migrations.CreateModel(name="OrganisationText", fields=list(FIELDS)),
        migrations.CreateModel(name="ProjectText", fields=list(FIELDS)),
        *text_index_operations("directory_organisation", "directory_organisationtext"),
        *text_index_operations("directory_project", "directory_projecttext"),
        *indexes("organisationtext", "organisationtext"),
        *indexes("projecttext", "projecttext"),
    ]
