"""Filter keys of profiles (directory.search) and the filters on them (directory.filters): values
of one filter combine with OR, different filters with AND; organisations are found by the
areas, technologies and focus of their published projects, and projects without countries of
their own by their published organisations' countries; kept in step with every change."""

import importlib
import random
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.models import Status
from core.tests.admin_forms import admin_form_data
from core.tests.downloads import csv_rows
from directory.filters import OrganisationFilterSet
from directory.filters import ProjectFilterSet
from directory.models import Country
from directory.models import DSIFocus
from directory.models import Organisation
from directory.models import OrganisationType
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.models import SocialArea
from directory.models import Technology
from directory.search import links_reindex
from directory.search import profile_reindex
from directory.services.profiles import profile_approve
from directory.services.profiles import profile_archive
from directory.services.profiles import profile_update
from directory.services.profiles import project_set_organisations
from directory.services.profiles import tags_from_names
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from directory.versions import LINKS

ORGANISATIONS = "/en/organisations/"
PROJECTS = "/en/projects/"
STATUSES = [Status.PUBLISHED] * 6 + [Status.DRAFT, Status.ARCHIVED, Status.PENDING]


# --- A random directory, and what its filters should give, worked out in Python ----------------


def _some(rng, rows, most: int) -> list:
    return rng.sample(rows, rng.randint(0, min(most, len(rows))))


@pytest.fixture
def seeded(db):
    """30 organisations and 40 projects with random places, topics, tags, statuses and links."""
    rng = random.Random(15)
    countries = list(Country.objects.filter(code__in=["ES", "PT", "FR", "DE", "IT"]))
    areas = list(SocialArea.objects.all()[:5])
    techs = list(Technology.objects.all()[:5])
    focus = list(DSIFocus.objects.all()[:4])
    types = list(OrganisationType.objects.all()[:3])
    tags = tags_from_names(["alpha", "beta", "gamma", "delta"])
    organisations = []
    for number in range(30):
        organisation = OrganisationFactory(
            name=f"Org {number}",
            status=rng.choice(STATUSES),
            country=rng.choice([*countries, None]),
            organisation_type=rng.choice(types),
        )
        organisation.tags.set(_some(rng, tags, 2))
        organisation.network_tags.set(_some(rng, tags, 1))
        organisations.append(organisation)
    projects = []
    for number in range(40):
        project = ProjectFactory(
            name=f"Project {number}",
            status=rng.choice(STATUSES),
            live=rng.random() < 0.7,
        )
        project.countries.set(_some(rng, countries, 2) if rng.random() < 0.3 else [])
        project.social_areas.set(_some(rng, areas, 2))
        project.technologies.set(_some(rng, techs, 3))
        project.focus.set(_some(rng, focus, 2))
        project.tags.set(_some(rng, tags, 2))
        project.who_we_help.set(_some(rng, tags, 1))
        for organisation in _some(rng, organisations, 3):
            ProjectOrganisation.objects.create(project=project, organisation=organisation)
        projects.append(project)
    for profile in [*organisations, *projects]:
        profile_reindex(profile)
    return {
        "country": countries,
        "area": areas,
        "tech": techs,
        "focus": focus,
        "type": types,
        "tag": tags,
        "network": tags,
    }


def expected_values(model) -> dict[int, dict[str, set]]:
    """Each profile's values of every filter, by its id (slugs), from the rows themselves."""
    published = Status.PUBLISHED
    values = {}
    if model is Organisation:
        for organisation in Organisation.objects.prefetch_related("tags", "network_tags"):
            linked = [
                link.project
                for link in organisation.links_to_projects.select_related("project")
                if link.project.status == published
            ]
            values[organisation.pk] = {
                "country": {organisation.country.slug} if organisation.country else set(),
                "type": {organisation.organisation_type.slug},
                "area": {a.slug for p in linked for a in p.social_areas.all()},
                "tech": {t.slug for p in linked for t in p.technologies.all()},
                "focus": {f.slug for p in linked for f in p.focus.all()},
                "tag": {tag.slug for tag in organisation.tags.all()},
                "network": {tag.slug for tag in organisation.network_tags.all()},
            }
        return values
    for project in Project.objects.all():
        countries = {country.slug for country in project.countries.all()}
        if not countries:
            countries = {
                link.organisation.country.slug
                for link in project.links_to_organisations.select_related("organisation__country")
                if link.organisation.status == published and link.organisation.country
            }
        values[project.pk] = {
            "country": countries,
            "area": {area.slug for area in project.social_areas.all()},
            "tech": {tech.slug for tech in project.technologies.all()},
            "focus": {focus.slug for focus in project.focus.all()},
            "tag": {tag.slug for tag in [*project.tags.all(), *project.who_we_help.all()]},
            "network": {tag.slug for tag in project.network_tags.all()},
            "live": {"live" if project.live else "closed"},
        }
    return values


def expected_ids(model, values: dict, query: dict[str, list[str]]) -> set[int]:
    """Published profiles with, for every filter given, at least one of its values."""
    published = set(model.objects.published().values_list("pk", flat=True))
    return {
        pk
        for pk, held in values.items()
        if pk in published and all(held[name] & set(chosen) for name, chosen in query.items())
    }


def random_query(rng, seeded, names) -> dict[str, list[str]]:
    query = {}
    for name in rng.sample(names, rng.randint(0, 3)):
        if name == "live":
            query[name] = [rng.choice(["live", "closed"])]
        else:
            rows = seeded[name]
            query[name] = [row.slug for row in rng.sample(rows, rng.randint(1, 3))]
    return query


def as_querydict(query: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, chosen in query.items():
        data.setlist(name, chosen)
    return data


ORGANISATION_FILTERS = ["country", "area", "tech", "focus", "type", "tag", "network"]
PROJECT_FILTERS = ["country", "area", "tech", "focus", "tag", "network", "live"]


@pytest.mark.parametrize(
    ("model", "filterset_class", "names"),
    [
        (Organisation, OrganisationFilterSet, ORGANISATION_FILTERS),
        (Project, ProjectFilterSet, PROJECT_FILTERS),
    ],
)
def test_random_filters_give_what_a_brute_force_count_gives(seeded, model, filterset_class, names):
    rng = random.Random(f"{model.__name__}-filters")
    values = expected_values(model)
    found_some = 0
    for _ in range(250):
        query = random_query(rng, seeded, names)
        filterset = filterset_class(as_querydict(query), queryset=model.objects.published())
        got = set(filterset.qs.values_list("pk", flat=True))
        assert not filterset.errors, query
        assert got == expected_ids(model, values, query), query
        found_some += bool(got) and len(query) > 1
    assert found_some > 10  # the queries that combine filters do find something


@pytest.mark.parametrize(
    ("model", "path", "api", "download", "names"),
    [
        (Organisation, ORGANISATIONS, "/api/v1/organisations/", "/data/organisations.csv", None),
        (Project, PROJECTS, "/api/v1/projects/", "/data/projects.csv", None),
    ],
)
def test_the_list_the_api_and_the_download_follow_the_same_rule(
    client, seeded, model, path, api, download, names
):
    names = ORGANISATION_FILTERS if model is Organisation else PROJECT_FILTERS
    rng = random.Random(f"{model.__name__}-surfaces")
    values = expected_values(model)
    slugs = dict(model.objects.values_list("pk", "slug"))
    for _ in range(150):
        query = random_query(rng, seeded, names)
        expected = {slugs[pk] for pk in expected_ids(model, values, query)}
        data = as_querydict(query)
        cache.clear()  # a query asked before would be answered from the page cache
        page = client.get(path, data)
        assert page.status_code == 200
        assert page.context["total"] == len(expected), query
        # The first page's profiles are among the expected (the cards: 20 a page).
        shown = {profile.slug for profile in page.context["profiles"]}
        assert shown <= expected and len(shown) == min(20, len(expected)), query
        whole = data.copy()
        whole["page_size"] = "100"  # every row on one page
        answer = client.get(api, whole).json()
        assert answer["count"] == len(expected), query
        assert {row["slug"] for row in answer["results"]} == expected, query
        rows = csv_rows(client.get(download, data))
        assert {row["slug"] for row in rows} == expected, query


def test_two_values_of_one_filter_are_either_and_two_filters_both(db):
    spain, portugal = Country.objects.get(code="ES"), Country.objects.get(code="PT")
    democracy = SocialArea.objects.get(slug="digital-democracy")
    health = SocialArea.objects.get(slug="health-and-care")
    other = SocialArea.objects.exclude(pk__in=[democracy.pk, health.pk]).first()
    ProjectFactory(
        name="In Spain", vocabularies__countries=[spain], vocabularies__social_areas=[other]
    )
    ProjectFactory(
        name="In Portugal", vocabularies__countries=[portugal], vocabularies__social_areas=[health]
    )
    ProjectFactory(
        name="In both",
        vocabularies__countries=[spain, portugal],
        vocabularies__social_areas=[democracy],
    )

    def found(query):
        return sorted(p.name for p in ProjectFilterSet(query, queryset=Project.objects.all()).qs)

    assert found({"country": ["spain", "portugal"]}) == ["In Portugal", "In Spain", "In both"]
    both = QueryDict("country=spain&country=portugal&area=digital-democracy&area=health-and-care")
    assert found(both) == ["In Portugal", "In both"]
    assert found(QueryDict("country=spain&area=health-and-care")) == []


# --- Organisations by their projects, projects by their organisations' countries ---------------


@pytest.fixture
def linked(db):
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    democracy = SocialArea.objects.get(slug="digital-democracy")
    open_data = Technology.objects.get(slug="open-data")
    lab = OrganisationFactory(name="Lab", country=spain, latitude=41.39, longitude=2.17)
    agency = OrganisationFactory(name="Agency", country=france)
    project = ProjectFactory(
        name="Decidim",
        vocabularies__social_areas=[democracy],
        vocabularies__technologies=[open_data],
    )
    project.countries.clear()
    ProjectOrganisation.objects.create(project=project, organisation=lab)
    profile_reindex(project)
    for profile in (lab, agency, project):
        profile.refresh_from_db()
    return SimpleNamespace(
        lab=lab,
        agency=agency,
        project=project,
        spain=spain,
        france=france,
        area=f"area:{democracy.pk}",
        tech=f"tech:{open_data.pk}",
    )


def keys(profile) -> set[str]:
    return set(type(profile).objects.get(pk=profile.pk).facet_keys)


def test_an_organisation_takes_the_topics_of_its_published_projects(linked):
    assert {linked.area, linked.tech} <= keys(linked.lab)
    assert linked.area not in keys(linked.agency)
    assert f"country:{linked.spain.pk}" in keys(linked.project)  # inferred
    assert f"country:{linked.france.pk}" not in keys(linked.project)


def test_organisations_in_spain_on_democracy_with_open_data(client, linked):
    query = {"country": "spain", "area": "digital-democracy", "tech": "open-data"}
    response = client.get(ORGANISATIONS, query)
    assert [profile.name for profile in response.context["profiles"]] == ["Lab"]
    facets = {facet.name: facet for facet in response.context["facets"]}
    assert {"area", "tech"} <= set(facets)
    api = client.get("/api/v1/organisations/", query).json()
    assert [item["slug"] for item in api["results"]] == ["lab"]


def test_projects_are_found_under_their_organisations_countries(client, linked):
    response = client.get(PROJECTS, {"country": "spain"})
    assert [profile.name for profile in response.context["profiles"]] == ["Decidim"]
    html = response.content.decode()
    assert "Spain (from its organisations)" in html
    page = client.get(linked.project.get_absolute_url()).content.decode()
    assert "(from its organisations)" in page and ">Spain</a>" in page
    item = client.get("/api/v1/projects/decidim/").json()
    assert item["countries"] == []
    assert item["countries_inferred"] == [{"slug": "spain", "name": "Spain", "code": "ES"}]


def test_a_project_with_countries_of_its_own_keeps_only_them(client, linked):
    linked.project.countries.set([linked.france])
    profile_reindex(linked.project)
    assert f"country:{linked.spain.pk}" not in keys(linked.project)
    page = client.get(linked.project.get_absolute_url()).content.decode()
    assert "(from its organisations)" not in page
    item = client.get("/api/v1/projects/decidim/").json()
    assert item["countries_inferred"] == []


def test_the_links_version_moves_for_links_and_statuses_not_for_text(
    linked, admin_user, django_capture_on_commit_callbacks
):
    def moved(change) -> bool:
        before = LINKS.current()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return LINKS.current() != before

    project = linked.project
    assert not moved(lambda: profile_update(profile=project, user=admin_user, fields={"name": "X"}))
    assert not moved(lambda: links_reindex(project_ids=[project.pk], links=False))
    assert moved(
        lambda: profile_update(
            profile=project, user=admin_user, relations={"organisations": [linked.agency]}
        )
    )
    assert moved(
        lambda: project_set_organisations(
            project=project, user=admin_user, organisations=[(linked.lab, "lead")]
        )
    )
    assert moved(lambda: profile_archive(profile=project, user=admin_user))
    project.status = Status.PENDING
    project.save()
    assert moved(lambda: profile_approve(profile=project, moderator=admin_user))


def test_archiving_and_approving_a_project_moves_its_topics(linked, admin_user):
    profile_archive(profile=linked.project, user=admin_user)
    assert linked.area not in keys(linked.lab)
    linked.project.status = Status.PENDING
    linked.project.save()
    profile_approve(profile=linked.project, moderator=admin_user)
    assert linked.area in keys(linked.lab)


def test_archiving_an_organisation_takes_its_country_from_its_projects(linked, admin_user):
    profile_archive(profile=linked.lab, user=admin_user)
    assert f"country:{linked.spain.pk}" not in keys(linked.project)


def test_changing_links_topics_and_countries_reindexes_the_others(linked, admin_user):
    health = SocialArea.objects.get(slug="health-and-care")
    profile_update(profile=linked.project, user=admin_user, relations={"social_areas": [health]})
    assert linked.area not in keys(linked.lab)
    assert f"area:{health.pk}" in keys(linked.lab)

    project_set_organisations(
        project=linked.project, user=admin_user, organisations=[(linked.agency, "lead")]
    )
    assert f"area:{health.pk}" not in keys(linked.lab)
    assert f"area:{health.pk}" in keys(linked.agency)
    assert f"country:{linked.france.pk}" in keys(linked.project)
    assert f"country:{linked.spain.pk}" not in keys(linked.project)

    italy = Country.objects.get(code="IT")
    profile_update(profile=linked.agency, user=admin_user, fields={"country": italy})
    assert f"country:{italy.pk}" in keys(linked.project)
    assert f"country:{linked.france.pk}" not in keys(linked.project)


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, email="admin@example.org"))
    return client


def admin_url(kind: str, name: str, *args) -> str:
    return reverse(f"admin:directory_{kind}_{name}", args=args)


def test_deleting_in_the_admin_reindexes_the_linked_profiles(admin_client, linked):
    url = admin_url("project", "delete", linked.project.pk)
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Project.objects.filter(pk=linked.project.pk).exists()
    assert linked.area not in keys(linked.lab)

    project = ProjectFactory(name="Another")
    project.countries.clear()
    ProjectOrganisation.objects.create(project=project, organisation=linked.agency)
    profile_reindex(project)
    assert f"country:{linked.france.pk}" in keys(project)
    response = admin_client.post(
        admin_url("organisation", "changelist"),
        {"action": "delete_selected", "_selected_action": [linked.agency.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=linked.agency.pk).exists()
    assert f"country:{linked.france.pk}" not in keys(project)


def test_the_admin_inline_that_unlinks_an_organisation_reindexes_both(admin_client, linked):
    url = admin_url("project", "change", linked.project.pk)
    data = admin_form_data(admin_client.get(url))
    data["links_to_organisations-0-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert not ProjectOrganisation.objects.filter(project=linked.project).exists()
    assert linked.area not in keys(linked.lab)
    assert f"country:{linked.spain.pk}" not in keys(linked.project)


def test_linked_keys_are_brought_up_to_date_in_a_fixed_number_of_queries(
    seeded, django_assert_num_queries
):
    organisation_ids = list(Organisation.objects.values_list("pk", flat=True))
    project_ids = list(Project.objects.values_list("pk", flat=True))
    Organisation.objects.update(facet_keys=[])
    with django_assert_num_queries(2):
        changed = links_reindex(organisation_ids=organisation_ids, project_ids=project_ids)
    assert changed["organisation"]  # the keys taken from projects came back
    with django_assert_num_queries(1):
        again = links_reindex(organisation_ids=organisation_ids[:3])
    assert again == {"organisation": {}, "project": {}}  # nothing left to change


def test_the_migration_gives_existing_rows_their_linked_and_grid_keys(linked):
    """Rows indexed before the linked keys existed get them from the migration."""
    Organisation.objects.filter(pk=linked.lab.pk).update(
        facet_keys=[key for key in keys(linked.lab) if key.split(":")[0] not in ("area", "cell")]
    )
    Project.objects.filter(pk=linked.project.pk).update(
        facet_keys=[key for key in keys(linked.project) if not key.startswith("country:")]
    )
    migration = importlib.import_module("directory.migrations.0012_linked_and_grid_facet_keys")
    editor = SimpleNamespace(connection=connection)
    migration.add_grid_keys(apps, editor)
    migration.add_linked_keys(apps, editor)
    assert {linked.area, "cell:3:4:2"} <= keys(linked.lab)
    assert f"country:{linked.spain.pk}" in keys(linked.project)
    before = {"lab": keys(linked.lab), "project": keys(linked.project)}
    profile_reindex(linked.lab)
    profile_reindex(linked.project)
    assert {"lab": keys(linked.lab), "project": keys(linked.project)} == before


def test_the_schema_says_how_values_of_a_filter_combine(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]
    }
    for name in ("country", "area", "tech", "focus", "tag"):
        assert "any of them will do (OR)" in parameters[name]["description"], name
        assert "(AND)" in parameters[name]["description"]
    assert "(OR)" not in parameters["city"].get("description", "")
