"""Funding types and who may apply (shared/docs/taxonomy.md), translated."""

from django.db import migrations
from django.utils.text import slugify

LANGUAGES = ["en", "de", "fr", "it", "es", "ca"]

# Each: English name, then de, fr, it, es, ca.
FUNDING_TYPES = [
    (
        "Grant funding",
        "Fördermittel",
        "Subventions",
        "Sovvenzioni",
        "Subvenciones",
        "Subvencions",
    ),
    (
        "Investment / social investment",
        "Investition / soziale Investition",
        "Investissement / investissement social",
        "Investimento / investimento sociale",
        "Inversión / inversión social",
        "Inversió / inversió social",
    ),
    (
        "Incubators and accelerators (with funding)",
        "Inkubatoren und Acceleratoren (mit Finanzierung)",
        "Incubateurs et accélérateurs (avec financement)",
        "Incubatori e acceleratori (con finanziamento)",
        "Incubadoras y aceleradoras (con financiación)",
        "Incubadores i acceleradores (amb finançament)",
    ),
    (
        "Non-financial support",
        "Nicht finanzielle Unterstützung",
        "Soutien non financier",
        "Supporto non finanziario",
        "Apoyo no financiero",
        "Suport no financer",
    ),
    (
        "Working spaces",
        "Arbeitsräume",
        "Espaces de travail",
        "Spazi di lavoro",
        "Espacios de trabajo",
        "Espais de treball",
    ),
    (
        "Networking opportunities",
        "Vernetzungsmöglichkeiten",
        "Occasions de réseautage",
        "Opportunità di networking",
        "Oportunidades de networking",
        "Oportunitats de networking",
    ),
]
FUNDING_TARGETS = [
    (
        "Government organisation",
        "Behörde",
        "Organisme public",
        "Ente pubblico",
        "Organismo público",
        "Organisme públic",
    ),
    (
        "Research organisation",
        "Forschungseinrichtung",
        "Organisme de recherche",
        "Ente di ricerca",
        "Centro de investigación",
        "Centre de recerca",
    ),
    ("Startup", "Start-up", "Start-up", "Startup", "Startup", "Startup"),
    (
        "Social enterprise, charity or other non-profit",
        "Sozialunternehmen, Wohltätigkeitsorganisation oder andere gemeinnützige Organisation",
        "Entreprise sociale, association caritative ou autre organisation à but non lucratif",
        "Impresa sociale, ente di beneficenza o altra organizzazione non profit",
        "Empresa social, organización benéfica u otra entidad sin ánimo de lucro",
        "Empresa social, entitat benèfica o altra entitat sense ànim de lucre",
    ),
    ("Individuals", "Einzelpersonen", "Particuliers", "Privati", "Particulares", "Particulars"),
]


def _load(model, rows):
    for order, names in enumerate(rows, start=1):
        model.objects.update_or_create(
            slug=slugify(names[0]),
            defaults={
                "name": names[0],
                "order": order,
                **{
                    f"name_{language}": name
                    for language, name in zip(LANGUAGES, names, strict=True)
                },
            },
        )


def load(apps, schema_editor):
    _load(apps.get_model("funding", "FundingType"), FUNDING_TYPES)
    _load(apps.get_model("funding", "FundingTarget"), FUNDING_TARGETS)


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
