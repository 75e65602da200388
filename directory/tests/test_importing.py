"""The importer of the original platform's data, against the real 2017 export and bad files."""

import io
import json
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from reversion.models import Revision
from reversion.models import Version

from core.models import Licence
from core.models import Status
from directory.filters import OrganisationFilterSet
from directory.models import Organisation
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.models import SocialArea
from directory.models import Tag
from directory.models import Technology
from directory.services.import_records import REVISION_COMMENT
from directory.services.import_records import ImportDataError
from directory.services.importing import directory_import_dsi4eu
from directory.tests.factories import OrganisationFactory

DATA = settings.BASE_DIR.parent / "shared" / "data" / "dsi4eu-2017"
ORGANISATIONS = DATA / "organisations.json"
PROJECTS = DATA / "projects.json"
real_data = pytest.mark.skipif(
    not (ORGANISATIONS.exists() and PROJECTS.exists()),
    reason=f"the 2017 export is not in {DATA} (CI has it in ../shared/data)",
)


def raw(kind: str) -> list:
    return json.loads((DATA / f"{kind}.json").read_text())


def _counts() -> dict:
    return {
        "organisations": Organisation.objects.count(),
        "projects": Project.objects.count(),
        "links": ProjectOrganisation.objects.count(),
        "tags": Tag.objects.count(),
        "revisions": Revision.objects.count(),
        "versions": Version.objects.count(),
    }


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """The real export imported once for the module (committed), removed again afterwards."""
    if not (ORGANISATIONS.exists() and PROJECTS.exists()):
        pytest.skip(f"the 2017 export is not in {DATA}")
    organisations = json.loads(ORGANISATIONS.read_text())
    projects = json.loads(PROJECTS.read_text())
    with django_db_blocker.unblock():
        tags_before = set(Tag.objects.values_list("pk", flat=True))
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            report = directory_import_dsi4eu(organisations=organisations, projects=projects)
        report.seconds = time.monotonic() - started
        report.queries = len(queries)
        print(f"\nReal import: {report.seconds:.1f} s, {report.queries} queries")
        try:
            yield report
        finally:
            with transaction.atomic():
                Project.objects.filter(legacy_id__isnull=False).delete()
                Organisation.objects.filter(legacy_id__isnull=False).delete()
                Tag.objects.exclude(pk__in=tags_before).delete()
                Revision.objects.filter(comment__startswith=REVISION_COMMENT).delete()


# --- The real 2017 export --------------------------------------------------------------------


@real_data
def test_imports_every_organisation_and_project_in_bulk(imported, db):
    assert imported.created == {"organisations": 1228, "projects": 829}
    assert Organisation.objects.filter(legacy_id__isnull=False).count() == 1228
    assert Project.objects.filter(legacy_id__isnull=False).count() == 829
    # Bulk writes: the number of queries does not grow with the number of records.
    # (two of them bring the keys taken from linked profiles up to date: directory.search)
    assert imported.queries <= 42
    assert imported.seconds < 60


@real_data
def test_running_again_changes_nothing(imported, db):
    before = _counts()
    snapshot = list(Organisation.objects.order_by("pk").values_list("pk", "slug", "updated_at"))
    stdout = io.StringIO()
    call_command("import_dsi4eu", organisations=ORGANISATIONS, projects=PROJECTS, stdout=stdout)
    assert _counts() == before
    after = list(Organisation.objects.order_by("pk").values_list("pk", "slug", "updated_at"))
    assert after == snapshot
    assert "organisations: 0 created, 1228 skipped" in stdout.getvalue()
    assert "projects: 0 created, 829 skipped" in stdout.getvalue()


@real_data
def test_published_under_the_data_licence(imported, db):
    for model in (Organisation, Project):
        rows = model.objects.filter(legacy_id__isnull=False)
        # Published, but for the rows held back for review (test_importing_review).
        assert set(rows.values_list("status", flat=True)) == {Status.PUBLISHED, Status.PENDING}
        assert set(rows.values_list("licence", flat=True)) == {Licence.CC_BY_NC_SA_4}
        published = rows.filter(status=Status.PUBLISHED)
        assert not published.filter(published_at__isnull=True).exists()


@real_data
def test_no_unsafe_html_survives(imported, db):
    assert Organisation.objects.filter(legacy_id__isnull=False).exclude(description="").exists()
    for model, fields in (
        (Organisation, ["description"]),
        (Project, ["description", "social_impact"]),
    ):
        for field in fields:
            for needle in ("<iframe", "<script", "style=", "<img", "onerror"):
                assert not model.objects.filter(**{f"{field}__icontains": needle}).exists()


@real_data
def test_2017_social_areas_become_todays(imported, db):
    # "#CampusInwatch" listed eight 2017 areas.
    project = Project.objects.get(legacy_id=251)
    assert set(project.social_areas.values_list("name_en", flat=True)) == {
        "Culture and arts",
        "Skills and learning",
        "Finance and economy",
        "Health and care",
        "Cities and urban development",
        "Digital democracy",
        "Science",
        "Work and employment",
    }
    skills = SocialArea.objects.get(name_en="Skills and learning")
    assert imported.mapped["social area: Education and skills → Skills and learning"] == 394
    # Listed as a social area or, by a few, among the technologies.
    listed = {
        record["project_id"]
        for record in raw("projects")
        for value in record["support_tags"] + record["technology"]
        if value["name"] == "Education and skills"
    }
    assert len(listed) >= 394
    assert set(skills.projects.values_list("legacy_id", flat=True)) == listed


@real_data
def test_technologies_match_whatever_the_spelling(imported, db):
    open_data = Technology.objects.get(name_en="Open data")
    assert open_data.projects.count() == 204
    assert imported.technology_variants["open data → Open data"] == 204
    ai = Technology.objects.get(name_en="AI and machine learning")
    assert ai.projects.count() == 45
    assert not Project.objects.filter(tags__slug__in=["open-data", "big-data"]).exists()


@real_data
def test_unknown_values_are_kept_as_free_tags(imported, db):
    taxis = Project.objects.filter(tags__name="Taxi")
    assert taxis.exists()
    assert all("taxi" in project.search_body for project in taxis)
    assert set(taxis) <= set(Project.objects.published().matching("taxi"))
    assert imported.kept_as_tags["technology: Taxi"] == 1
    assert Project.objects.filter(tags__name="citizen science").exists()
    # Bare numbers are leaked ids, not words: left out and reported.
    assert not Tag.objects.filter(name__in=["21", "22", "23"]).exists()
    assert imported.dropped_values["technology: 21"] == 2


@real_data
def test_free_tags_networks_and_who_we_help(imported, db):
    fablabs = Organisation.objects.filter(network_tags__name="FabLab Network")
    assert fablabs.count() > 10
    assert Organisation.objects.filter(tags__name="social innovation").exists()
    helped = {
        record["project_id"]
        for record in raw("projects")
        if "digital social innovation" in map(str.lower, record["who_we_help_tags"])
    }
    assert len(helped) >= 28
    found = Project.objects.filter(who_we_help__slug="digital-social-innovation")
    assert set(found.values_list("legacy_id", flat=True)) == helped


@real_data
def test_1970_01_01_means_unknown(imported, db):
    organisation = Organisation.objects.get(legacy_id=336)  # "created": "1970-01-01"
    # Unknown stays unknown: not the day of the import (which is when it was published here).
    assert organisation.created_at is None
    assert organisation.published_at.year >= 2025
    assert not Organisation.objects.filter(created_at__year=1970).exists()
    assert not Project.objects.filter(created_at__year=1970).exists()
    assert imported.dates_unknown["organisations created 1970-01-01"] == 1157
    assert imported.dates_unknown["projects creation_date 1970-01-01"] == 742
    assert (
        Organisation.objects.filter(legacy_id__isnull=False, created_at__isnull=True).count()
        == 1157
    )
    dated = Organisation.objects.filter(created_at__year__in=[2016, 2017])
    assert dated.count() == 71
    # Listed by the date they were created on digitalsocial.eu, published on the hub on import.
    assert dated.exclude(listed_at=F("created_at")).count() == 0
    assert not dated.filter(published_at__year__lt=2025).exists()


@real_data
def test_vocabularies_and_countries(imported, db):
    organisation = Organisation.objects.get(legacy_id=336)
    assert organisation.country.code == "GB"
    assert organisation.organisation_type.name_en == "Grassroots organisation or community network"
    assert organisation.organisation_size.name_en == "0-5 people"
    assert (organisation.latitude, organisation.longitude) == (53.577694, -2.4288873)
    assert Organisation.objects.filter(country__code="CZ").count() == 8
    assert Organisation.objects.filter(country__code="MK").count() == 2
    assert Organisation.objects.filter(organisation_size__name_en="over 1000 people").count() == 45
    assert Organisation.objects.filter(organisation_type__name_en__startswith="Gov").count() == 75
    assert imported.countries_not_found == {"Kosovo": 1}


@real_data
def test_organisations_and_projects_linked_both_ways(imported, db):
    assert imported.links_made == 946
    organisation = Organisation.objects.get(legacy_id=336)
    assert list(organisation.projects.values_list("legacy_id", flat=True)) == [345]
    project = Project.objects.get(legacy_id=251)
    assert 368 in project.organisations.values_list("legacy_id", flat=True)
    assert set(
        ProjectOrganisation.objects.filter(project__legacy_id__isnull=False).values_list(
            "role", flat=True
        )
    ) == {ProjectOrganisation.Role.PARTNER}


@real_data
def test_duplicate_names_get_readable_unique_slugs(imported, db):
    slugs = sorted(
        Organisation.objects.filter(name="Fablab Catania").values_list("slug", flat=True)
    )
    assert slugs == ["fablab-catania", "fablab-catania-2"]
    assert sorted(Project.objects.filter(name="Beehive").values_list("slug", flat=True)) == [
        "beehive",
        "beehive-2",
    ]


@real_data
def test_imported_profiles_are_searchable_and_filterable(imported, db):
    found = Organisation.objects.published().matching("3DPrinting Manchester")
    assert list(found.values_list("legacy_id", flat=True)) == [336]
    assert Project.objects.published().matching("CampusInwatch").count() == 1
    organisation = Organisation.objects.get(legacy_id=336)
    assert f"country:{organisation.country_id}" in organisation.facet_keys
    assert "city:bolton" in organisation.facet_keys


@real_data
def test_organisations_are_found_by_the_topics_of_their_projects(imported, db):
    """ "Organisations in Spain working on digital democracy with open data": through their
    published projects, as a brute-force walk over the rows finds them."""
    query = QueryDict("country=spain&area=digital-democracy&tech=open-data")
    filterset = OrganisationFilterSet(query, queryset=Organisation.objects.published())
    found = set(filterset.qs.values_list("pk", flat=True))
    expected = set()
    spanish = Organisation.objects.published().filter(country__code="ES")
    for organisation in spanish.prefetch_related(
        "projects__social_areas", "projects__technologies"
    ):
        projects = [p for p in organisation.projects.all() if p.status == Status.PUBLISHED]
        areas = {area.slug for project in projects for area in project.social_areas.all()}
        techs = {tech.slug for project in projects for tech in project.technologies.all()}
        if "digital-democracy" in areas and "open-data" in techs:
            expected.add(organisation.pk)
    print(f"\nOrganisations in Spain on digital democracy with open data: {len(found)}")
    assert found == expected
    assert len(found) >= 10


@real_data
def test_most_projects_are_found_under_a_country(imported, db):
    """Few 2017 projects name a country; most are found under their organisations'."""
    published = Project.objects.published()
    own = published.filter(countries__isnull=False).distinct().count()
    with_country = published.filter(facet_keys__overlap=[f"country:{pk}" for pk in range(1, 400)])
    expected = (
        published.filter(countries__isnull=False)
        | published.filter(
            organisations__status=Status.PUBLISHED, organisations__country__isnull=False
        )
    ).distinct()
    print(f"\nProjects with a country: {own} of their own, {with_country.count()} in all")
    assert set(with_country.values_list("pk", flat=True)) == set(
        expected.values_list("pk", flat=True)
    )
    assert own < published.count() / 10
    assert with_country.count() > published.count() / 2


@real_data
def test_history_records_the_import(imported, db):
    organisation = Organisation.objects.get(legacy_id=336)
    version = Version.objects.get_for_object(organisation).get()
    assert version.revision.comment.startswith(REVISION_COMMENT)
    assert version.field_dict["name"] == organisation.name
    assert version.field_dict["country_id"] == organisation.country_id
    project = Project.objects.filter(tags__isnull=False).first()
    version = Version.objects.get_for_object(project).get()
    assert sorted(version.field_dict["tags"]) == sorted(project.tags.values_list("pk", flat=True))


# --- Small exports: mapping details ----------------------------------------------------------


def organisation_record(**values) -> dict:
    record = {
        "organisation_id": 9001,
        "organisation_name": "Test Lab",
        "website": "https://example.org",
        "short_description": "A lab.",
        "long_description": '<p style="color:red" onclick="x()">Hi</p><iframe src="x"></iframe>',
        "country": "UK",
        "region": "Leeds",
        "latitude": 53.8,
        "longitude": -1.5,
        "address": "",
        "organisation_type": {"id": 0, "name": ""},
        "organisation_size": "",
        "startDate": "",
        "linked_project_ids": [],
        "tags": [],
        "networkTags": [],
        "created": "2016-05-04",
    }
    return {**record, **values}


def project_record(**values) -> dict:
    record = {
        "project_id": 9101,
        "project_name": "Test Project",
        "website": "",
        "short_description": "",
        "long_description": "",
        "social_impact": "<script>alert(1)</script><p>Good</p>",
        "start_date": None,
        "end_date": None,
        "country": "",
        "region": "",
        "latitude": "",
        "longitude": "",
        "linked_organisation_ids": [],
        "who_we_help_tags": [],
        "support_tags": [],
        "focus": [],
        "technology": [],
        "creation_date": "1970-01-01",
    }
    return {**record, **values}


def test_small_export_mapped(db, django_assert_max_num_queries):
    projects = [
        project_record(
            linked_organisation_ids=["9001", "4242"],
            support_tags=[{"id": "1", "name": "education AND skills"}],
            technology=[
                {"id": "1", "name": "OPEN  data"},
                {"id": "2", "name": "peer to peer networks"},
                {"id": "3", "name": "Health and wellbeing"},
                {"id": "4", "name": "Knitting"},
            ],
            focus=[{"id": "1", "name": "open hardware"}],
            start_date="2015-01-01",
            end_date="2016-01-01",
            latitude=95,
            longitude=10,
        )
    ]
    with django_assert_max_num_queries(30):
        report = directory_import_dsi4eu(
            organisations=[organisation_record(linked_project_ids=["9101"])], projects=projects
        )
    organisation = Organisation.objects.get(legacy_id=9001)
    assert organisation.country.code == "GB"
    assert organisation.description == "<p>Hi</p>"
    assert organisation.created_at.date().isoformat() == "2016-05-04"
    assert organisation.organisation_type is None
    project = Project.objects.get(legacy_id=9101)
    assert project.social_impact == "<p>Good</p>"
    assert set(project.social_areas.values_list("name_en", flat=True)) == {
        "Skills and learning",
        "Health and care",
    }
    assert set(project.technologies.values_list("name_en", flat=True)) == {
        "Open data",
        "Peer-to-peer networks",
    }
    assert list(project.focus.values_list("name_en", flat=True)) == ["Open hardware"]
    assert list(project.tags.values_list("name", flat=True)) == ["Knitting"]
    assert project.live is False  # ended in 2016
    assert (project.latitude, project.longitude) == (None, None)
    assert report.coordinates_dropped == ["projects Test Project: 95.0, 10.0"]
    assert list(project.organisations.all()) == [organisation]
    assert report.links_made == 1
    assert report.links_skipped == {"missing organisation 4242": 1}
    lines = "\n".join(report.lines())
    assert "OPEN data → Open data: 1" in lines
    assert "Knitting: 1" in lines
    assert "missing organisation 4242: 1" in lines


def test_slugs_avoid_existing_rows_and_reserved_words(db):
    OrganisationFactory(name="Test Lab", slug="test-lab")
    directory_import_dsi4eu(
        organisations=[
            organisation_record(),
            organisation_record(organisation_id=9002, organisation_name="New"),
            organisation_record(organisation_id=9003, organisation_name="Edit"),
        ],
        projects=[project_record(project_name="Lookup")],
    )
    assert Organisation.objects.get(legacy_id=9001).slug == "test-lab-2"
    assert Organisation.objects.get(legacy_id=9002).slug == "new-2"
    assert Organisation.objects.get(legacy_id=9003).slug == "edit-2"
    assert Project.objects.get(legacy_id=9101).slug == "lookup-2"


def test_new_profiles_link_to_ones_imported_before(db):
    directory_import_dsi4eu(organisations=[organisation_record()], projects=[])
    report = directory_import_dsi4eu(
        organisations=[organisation_record()],
        projects=[project_record(linked_organisation_ids=["9001"])],
    )
    assert report.created == {"organisations": 0, "projects": 1}
    assert report.skipped["organisations"] == 1
    assert list(
        Project.objects.get(legacy_id=9101).organisations.values_list("legacy_id", flat=True)
    ) == [9001]


# --- Bad files: refused with a clear message, nothing written ---------------------------------


def write(path, content) -> str:
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


@pytest.fixture
def existing(db):
    return OrganisationFactory(name="Already here", slug="already-here")


def refused(tmp_path, organisations, projects) -> str:
    paths = {
        "organisations": write(tmp_path / "organisations.json", organisations),
        "projects": write(tmp_path / "projects.json", projects),
    }
    before = _counts()
    with pytest.raises(CommandError) as error:
        call_command("import_dsi4eu", stdout=io.StringIO(), **paths)
    assert _counts() == before
    return str(error.value)


@pytest.mark.parametrize(
    ("organisations", "projects", "expected"),
    [
        ("{not json", [], ["organisations.json is not valid JSON", "line 1"]),
        ([], '{"project_id": 1}', ["projects.json must hold a JSON list", "not a dict"]),
        (
            [organisation_record(created="2017-02-30")],
            [],
            ["record 1", "9001", "“created”", "is not a real date"],
        ),
        (
            [organisation_record(startDate="01/02/2017")],
            [],
            ["“startDate” must be a date (YYYY-MM-DD)"],
        ),
        (
            [organisation_record(organisation_id="336")],
            [],
            ["“organisation_id” must be a positive whole number"],
        ),
        (
            [organisation_record(linked_project_ids=[{"id": 3}])],
            [],
            ["“linked_project_ids” must list ids"],
        ),
        ([organisation_record(latitude="north")], [], ["“latitude” must be a number or empty"]),
        ([organisation_record(tags="a, b")], [], ["“tags” must be a list"]),
        ([{"organisation_name": "No id"}], [], ["record 1", "“organisation_id” is missing"]),
        ([organisation_record(), organisation_record()], [], ["record 2", "the id appears twice"]),
        (["just a string"], [], ["record 1", "is not a JSON object"]),
        # A good organisation is not written when the projects file is bad.
        (
            [organisation_record()],
            [project_record(project_name="")],
            ["projects.json", "“project_name” must not be empty"],
        ),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(
    existing, tmp_path, organisations, projects, expected
):
    message = refused(tmp_path, organisations, projects)
    for part in expected:
        assert part in message
    existing.refresh_from_db()
    assert existing.name == "Already here"
    assert not Organisation.objects.filter(legacy_id=9001).exists()


def test_a_missing_file_is_named(db, tmp_path):
    write(tmp_path / "projects.json", [])
    with pytest.raises(CommandError, match="organisations file not found: .*nowhere.json"):
        call_command(
            "import_dsi4eu",
            organisations=str(tmp_path / "nowhere.json"),
            projects=str(tmp_path / "projects.json"),
        )


def test_service_refuses_bad_records_before_writing(db):
    with pytest.raises(ImportDataError) as error:
        directory_import_dsi4eu(organisations=[organisation_record(created=20170101)], projects={})
    kinds = {problem.kind for problem in error.value.problems}
    assert kinds == {"organisations", "projects"}
    assert not Organisation.objects.filter(legacy_id=9001).exists()


def test_command_prints_the_report(db, tmp_path):
    stdout = io.StringIO()
    call_command(
        "import_dsi4eu",
        organisations=write(tmp_path / "o.json", [organisation_record(country="Atlantis")]),
        projects=write(tmp_path / "p.json", [project_record()]),
        stdout=stdout,
    )
    text = stdout.getvalue()
    assert "organisations: 1 created, 0 skipped" in text
    assert "projects: 1 created, 0 skipped" in text
    assert "Countries not found (left empty):\n  Atlantis: 1" in text
    assert "projects creation_date 1970-01-01: 1" in text
    assert Organisation.objects.get(legacy_id=9001).country is None


def test_history_can_restore_an_imported_profile(db):
    directory_import_dsi4eu(
        organisations=[organisation_record(tags=["Makers"], networkTags=["FabLab Network"])],
        projects=[project_record(linked_organisation_ids=["9001"])],
    )
    organisation = Organisation.objects.get(legacy_id=9001)
    organisation.name = "Renamed"
    organisation.save()
    organisation.tags.clear()
    version = Version.objects.get_for_object(organisation).get()
    assert version.revision.version_set.count() == 3  # organisation, project, link
    version.revert()
    organisation.refresh_from_db()
    assert organisation.name == "Test Lab"
    assert list(organisation.tags.values_list("slug", flat=True)) == ["makers"]
