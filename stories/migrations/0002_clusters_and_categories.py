"""The six clusters of shared/docs/taxonomy.md with their lead partners, and the first
categories of stories, translated."""

from django.db import migrations
from django.utils.text import slugify

LANGUAGES = ["en", "de", "fr", "it", "es", "ca"]
CLUSTERS = [
    ("health-and-care", "WeMake (Milan)"),
    ("skills-and-learning", "Fab Lab Barcelona"),
    ("digital-democracy", "ePaństwo Foundation (Warsaw)"),
    ("food-environment-and-climate-change", "Waag (Amsterdam)"),
    ("migration-and-integration", "betterplace lab (Berlin)"),
    ("cities-and-urban-development", "Barcelona Activa"),
]
# English, then de, fr, it, es, ca.
CATEGORIES = [
    ("News", "Neuigkeiten", "Actualités", "Notizie", "Noticias", "Notícies"),
    ("Blog", "Blog", "Blog", "Blog", "Blog", "Blog"),
    ("Interview", "Interview", "Entretien", "Intervista", "Entrevista", "Entrevista"),
    ("Report", "Bericht", "Rapport", "Rapporto", "Informe", "Informe"),
]


def load(apps, schema_editor):
    SocialArea = apps.get_model("directory", "SocialArea")
    Organisation = apps.get_model("directory", "Organisation")
    Cluster = apps.get_model("stories", "Cluster")
    for order, (area_slug, partner) in enumerate(CLUSTERS, start=1):
        area = SocialArea.objects.filter(slug=area_slug).first()
        if area is None:
            continue
        name = partner.split(" (")[0]
        lead = Organisation.objects.filter(name__iexact=name, status="published").first()
        Cluster.objects.update_or_create(
            social_area=area,
            defaults={
                "slug": area_slug,
                "lead_partner_name": partner,
                "lead_partner": lead,
                "order": order,
            },
        )
    Category = apps.get_model("stories", "Category")
    for order, names in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            slug=slugify(names[0]),
            defaults={
                "name": names[0],
                "order": order,
                **{f"name_{code}": name for code, name in zip(LANGUAGES, names, strict=True)},
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_initial"),
        ("directory", "0004_links_read_from_indexes"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
