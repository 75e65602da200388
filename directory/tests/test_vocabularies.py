import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.forms import ProfileForm
from core.search import fold
from directory.forms import OrganisationPlaceForm
from directory.forms import ProjectPlaceForm
from directory.models import Country
from directory.models import DSIFocus
from directory.models import Organisation
from directory.models import OrganisationSize
from directory.models import OrganisationType
from directory.models import Project
from directory.models import SocialArea
from directory.models import Technology
from directory.vocabularies import vocabulary
from events.forms import EventForm
from funding.forms import OpportunityForm

TAXONOMY = settings.BASE_DIR.parent / "shared" / "docs" / "taxonomy.md"
# The vocabularies are in the migrations; the text they are checked against lives beside the
# repository, in the team's shared folder (CI has it). A clone on its own skips these checks.
needs_taxonomy = pytest.mark.skipif(
    not TAXONOMY.exists(), reason=f"the taxonomy is not at {TAXONOMY} (CI has it in ../shared)"
)


def taxonomy_section(title: str) -> str:
    text = TAXONOMY.read_text()
    match = re.search(rf"^## {re.escape(title)}[^\n]*\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, f"no section {title!r} in taxonomy.md"
    return match.group(1)


def bullet_items(section: str) -> list[str]:
    return [
        line[2:].split(":")[0].strip() for line in section.splitlines() if line.startswith("- ")
    ]


def dotted_items(section: str) -> list[str]:
    lines = [
        line
        for line in section.splitlines()
        if line and not line.startswith(("|", "Current", "The 2017", "Older", "`"))
    ]
    text = " ".join(lines)
    text = text.split("Older data")[0]
    return [item.strip() for item in text.split("·") if item.strip()]


def names(model) -> list[str]:
    with translation.override("en"):
        return list(model.objects.order_by("order").values_list("name_en", flat=True))


@needs_taxonomy
def test_organisation_types_and_sizes_match_the_taxonomy(db):
    assert names(OrganisationType) == bullet_items(taxonomy_section("Organisation types (5)"))
    assert names(OrganisationSize) == dotted_items(taxonomy_section("Organisation sizes (8)"))


@needs_taxonomy
def test_social_areas_match_the_taxonomy_in_order_with_2017_aliases(db):
    section = taxonomy_section('Social areas ("areas of impact"; a project needs at least one)')
    current = section.split("in this order:")[1].split("The 2017 names")[0]
    expected = [item.strip() for item in current.replace("\n", " ").split("·") if item.strip()]
    assert names(SocialArea) == expected
    for row in re.findall(r"^\| ([^|]+) \| ([^|]+) \|$", section, re.M):
        old, new = (cell.strip() for cell in row)
        if old in ("2017", "---") or new == "unchanged":
            continue
        assert old in SocialArea.objects.get(name_en=new).aliases


@needs_taxonomy
def test_technologies_match_the_taxonomy(db):
    section = taxonomy_section("Technologies (18; a project needs at least one)")
    listed = section.split("Older data")[0].replace("\n", " ")
    expected = [item.strip() for item in listed.split("·") if item.strip()]
    assert names(Technology) == expected
    ai = Technology.objects.get(name_en="AI and machine learning")
    assert "Artificial intelligence and machine learning" in ai.aliases


@needs_taxonomy
def test_dsi_focus_has_names_and_descriptions(db):
    items = [
        line[2:].split(": ", 1)
        for line in taxonomy_section("DSI focus (the four open-technology trends)").splitlines()
        if line.startswith("- ")
    ]
    assert [(f.name_en, f.description_en) for f in DSIFocus.objects.all()] == [
        (name, description[0].upper() + description[1:]) for name, description in items
    ]


def test_countries_come_from_iso_3166_and_are_translated(db):
    import pycountry

    assert Country.objects.count() == len(pycountry.countries)
    germany = Country.objects.get(code="DE")
    with translation.override("de"):
        assert Country.objects.get(code="DE").name == "Deutschland"
    with translation.override("ca"):
        assert germany.__class__.objects.get(code="DE").name == "Alemanya"


@pytest.mark.parametrize("language", ["de", "fr", "it", "es", "ca"])
def test_every_vocabulary_value_is_translated(db, language):
    for model in (OrganisationType, OrganisationSize, SocialArea, Technology, DSIFocus):
        for value in model.objects.all():
            assert getattr(value, f"name_{language}"), f"{model.__name__} {value.slug}"


def test_slugs_are_unique_and_stable(db):
    assert SocialArea.objects.get(slug="health-and-care").order == 1
    assert Technology.objects.filter(slug="open-data").exists()


# --- Countries in alphabetical order, case and accents aside -----------------------------------


def _is_folded_order(names: list[str]) -> bool:
    return names == sorted(names, key=fold)


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("en", "Åland Islands", "Albania"),
        ("de", "Österreich", "Pakistan"),
        ("fr", "Égypte", "Érythrée"),
        ("ca", "Àustria", "Azerbaidjan"),
    ],
)
def test_country_choices_sort_by_the_folded_name_in_the_language(user, language, before, after):
    """The one queryset the forms, filters, admin and API read (Country.objects.by_name and
    the model's ordering) puts "Åland Islands" among the As, not after Zimbabwe."""
    with translation.override(language):
        forms = [
            (OrganisationPlaceForm(instance=Organisation(), user=user), "country"),
            (ProjectPlaceForm(instance=Project(), user=user), "countries"),
            (EventForm(user=user), "country"),
            (OpportunityForm(user=user), "countries"),
            (ProfileForm(instance=user), "country"),
        ]
        lists = [
            [label for value, label in form.fields[name].choices if value] for form, name in forms
        ]
        lists.append([term.name for term in vocabulary("country")])  # the lists' filters
        for names in lists:
            assert _is_folded_order(names)
            assert names.index(before) < names.index(after)


def test_the_admin_filter_lists_countries_in_folded_order(admin_client):
    """The moderation queue's country filter (the organisations' changelist) in German."""
    with translation.override("de"):
        html = admin_client.get(reverse("admin:directory_organisation_changelist")).content.decode()
    assert html.index(">Österreich<") < html.index(">Pakistan<")
    assert html.index(">Ägypten<") < html.index(">Albanien<")


def test_a_renamed_country_sorts_by_its_new_name(db):
    country = Country.objects.get(code="AX")
    country.name_de = "Zzz-Inseln"
    country.save(update_fields=["name_de"])
    with translation.override("de"):
        names = [row.name for row in Country.objects.by_name()]
    assert names[-1] == "Zzz-Inseln"
    with translation.override("en"):
        assert Country.objects.by_name().first().code == "AF"
