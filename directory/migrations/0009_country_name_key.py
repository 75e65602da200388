"""Countries sort by their folded name in each language (Country.name_key)."""

from django.conf import settings
from django.db import migrations
from django.db import models

from core.search import fold


def fill_keys(apps, schema_editor):
    Country = apps.get_model("directory", "Country")
    codes = [code for code, _name in settings.LANGUAGES]
    countries = list(Country.objects.all())
    for country in countries:
        english = country.name_en or country.name
        country.name_key = fold(english)
        for code in codes:
            setattr(country, f"name_key_{code}", fold(getattr(country, f"name_{code}") or english))
    fields = ["name_key", *(f"name_key_{code}" for code in codes)]
    Country.objects.bulk_update(countries, fields)


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_claims")]

    operations = [
        migrations.AlterModelOptions(
            name="country",
            options={
                "ordering": ["order", "name_key"],
                "verbose_name": "country",
                "verbose_name_plural": "countries",
            },
        ),
        migrations.AddField(
            model_name="country",
            name="name_key",
            field=models.CharField(blank=True, editable=False, max_length=120),
        ),
        migrations.AddField(
            model_name="country",
            name="name_key_ca",
            field=models.CharField(blank=True, editable=False, max_length=120, null=True),
        ),
        migrations.AddField(
            model_name="country",
            name="name_key_de",
            field=models.CharField(blank=True, editable=False, max_length=120, null=True),
        ),
        migrations.AddField(
            model_name="country",
            name="name_key_en",
            field=models.CharField(blank=True, editable=False, max_length=120, null=True),
        ),
        migrations.AddField(
            model_name="country",
            name="name_key_es",
            field=models.CharField(blank=True, editable=False, max_length=120, null=True),
        ),
        migrations.AddField(
            model_name="country",
            name="name_key_fr",
            field=models.CharField(blank=True, editable=False, max_length=120, null=True),
        ),
        migrations.AddField(
            model_name="country",
            name="name_key_it",
            field=models.CharField(blank=True, editable=False, max_length=120, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
