"""Resources get search text (search_title, search_body), a stored vector built from it and a
GIN index on the listed ones; the text of the resources already there is filled in."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations
from django.db import models
from django.utils.html import strip_tags

from core.search import fold

BATCH = 500


def _text(*parts) -> str:
    # As directory.search._text, as it was when this migration was written.
    return fold(" ".join(strip_tags(part) for part in parts if part))


def fill_search_text(apps, schema_editor):
    """As stories.services.resource_search_fields: the title, then the publisher, the social
    areas' names and the description."""
    Resource = apps.get_model("stories", "Resource")
    batch = []
    for resource in (
        Resource.objects.prefetch_related("social_areas").order_by("pk").iterator(chunk_size=BATCH)
    ):
        resource.search_title = _text(resource.title)
        resource.search_body = _text(
            resource.publisher,
            *(area.name for area in resource.social_areas.all()),
            resource.description,
        )
        batch.append(resource)
        if len(batch) == BATCH:
            Resource.objects.bulk_update(batch, ["search_title", "search_body"])
            batch = []
    if batch:
        Resource.objects.bulk_update(batch, ["search_title", "search_body"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_links_read_from_indexes"),
        ("stories", "0002_clusters_and_categories"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="search_title",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="resource",
            name="search_body",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="resource",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.SearchVector(
                        "search_title", config="simple", weight="A"
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "search_body", config="simple", weight="B"
                    ),
                    django.contrib.postgres.search.SearchConfig("simple"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="resource",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("is_listed", True)),
                fields=["search_vector"],
                name="resource_listed_search",
            ),
        ),
    ]
