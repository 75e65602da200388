from io import StringIO

import pytest
from django.core.management import CommandError
from django.core.management import call_command

from core.models import Status
from directory.demo import directory_seed_demo
from directory.models import Organisation
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.tests.factories import OrganisationFactory
from directory.versions import directory_version

pytestmark = pytest.mark.django_db


def seed(organisations=30, projects=40, seed=7):
    return directory_seed_demo(organisations=organisations, projects=projects, seed=seed)


def test_seeding_makes_exactly_the_published_profiles_asked_for():
    report = seed()
    assert report.organisations == 30 and report.projects == 40
    assert Organisation.objects.published().count() == 30
    assert Project.objects.published().count() == 40
    assert not Organisation.objects.exclude(status=Status.PUBLISHED).exists()
    assert not Organisation.objects.filter(published_at__isnull=True).exists()


def test_projects_have_vocabularies_and_places():
    seed()
    for project in Project.objects.prefetch_related("social_areas", "technologies", "countries"):
        assert 1 <= len(project.social_areas.all()) <= 3
        assert 1 <= len(project.technologies.all()) <= 4
        assert project.countries.all()
        words = len(project.description.replace("</p><p>", " ").split())
        assert 40 <= words <= 140  # 40-120 words, plus the last sentence's overshoot
        assert project.slug and project.search_title and project.facet_keys
        if not project.live and project.start_date and project.end_date:
            assert project.end_date >= project.start_date
    organisation = Organisation.objects.exclude(city="").first()
    assert organisation.latitude is not None and organisation.country_id
    assert organisation.organisation_type_id


def test_seeded_profiles_are_searchable_with_filter_keys():
    seed()
    organisation = Organisation.objects.exclude(city="").order_by("pk").first()
    first_word = organisation.name.split()[0]
    assert organisation in Organisation.objects.published().matching(first_word.lower())
    assert any(key.startswith("city:") for key in organisation.facet_keys)
    project = Project.objects.order_by("pk").first()
    area = project.social_areas.first()
    assert f"area:{area.pk}" in project.facet_keys
    assert project in Project.objects.matching(project.name[:4])


def test_accents_are_folded_so_plain_letters_find_them():
    seed(organisations=60, projects=60)
    accented = Project.objects.filter(description__contains="Liberté").first() or (
        Organisation.objects.filter(description__contains="Liberté").first()
    )
    assert accented is not None
    assert "liberte" in accented.search_body and "é" not in accented.search_body
    assert accented in type(accented).objects.matching("liberte")


def test_projects_are_linked_to_a_lead_and_partners():
    seed()
    links = ProjectOrganisation.objects.all()
    assert links.filter(role=ProjectOrganisation.Role.LEAD).count() >= 20
    assert links.filter(role=ProjectOrganisation.Role.PARTNER).exists()
    assert links.filter(role=ProjectOrganisation.Role.LEAD).values(
        "project"
    ).distinct().count() == (links.filter(role=ProjectOrganisation.Role.LEAD).count())


def test_a_second_run_appends_without_slug_collisions():
    OrganisationFactory(name="Existing", slug="open-data-lab")
    seed(seed=3)
    seed(seed=3)  # same names again: slugs must dodge the first run's
    assert Organisation.objects.count() == 61
    assert Project.objects.count() == 80
    slugs = list(Project.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == len(slugs)


def test_projects_alone_link_to_existing_organisations():
    seed(organisations=10, projects=0)
    seed(organisations=0, projects=10)
    assert ProjectOrganisation.objects.count() >= 9


def test_seeding_tells_the_caches_the_directory_changed(django_capture_on_commit_callbacks):
    before = directory_version()
    with django_capture_on_commit_callbacks(execute=True):
        seed(organisations=2, projects=2)
    assert directory_version() > before


def test_the_command_prints_progress_and_timing():
    out = StringIO()
    call_command("seed_demo", organisations=5, projects=6, seed=1, stdout=out)
    assert "Added 5 organisations and 6 projects" in out.getvalue()
    assert Project.objects.published().count() == 6
    with pytest.raises(CommandError):
        call_command("seed_demo", organisations=-1, projects=1, stdout=out)
