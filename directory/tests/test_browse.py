"""The public directory: lists with search, filters and facets, and detail pages."""

import pytest
from django.urls import reverse

from core.models import Status
from directory.models import Country
from directory.models import SocialArea
from directory.models import Tag
from directory.models import Technology
from directory.search import profile_reindex
from directory.services.profiles import tags_from_names
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

ORGANISATIONS = "/en/organisations/"
PROJECTS = "/en/projects/"


def names(response):
    return [profile.name for profile in response.context["profiles"]]


@pytest.fixture
def directory(db):
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    health = SocialArea.objects.get(slug="health-and-care")
    democracy = SocialArea.objects.get(slug="digital-democracy")
    open_data = Technology.objects.get(slug="open-data")
    sensors = Technology.objects.get(slug="sensors-and-internet-of-things")
    liberte = OrganisationFactory(
        name="Liberté Numérique",
        city="Zürich",
        country=france,
        description="<p>Des outils libres pour la démocratie.</p>",
    )
    OrganisationFactory(name="Fab Lab Barcelona", city="Barcelona", country=spain)
    OrganisationFactory(name="Hidden draft", status=Status.DRAFT)
    OrganisationFactory(name="Rejected spam", status=Status.REJECTED)
    projects = {
        "Smart Citizen": ProjectFactory(
            name="Smart Citizen",
            short_description="Sensors for air quality",
            vocabularies__social_areas=[health],
            vocabularies__technologies=[sensors, open_data],
            vocabularies__countries=[spain],
        ),
        "Decidim": ProjectFactory(
            name="Decidim",
            short_description="Participatory democracy platform",
            vocabularies__social_areas=[democracy],
            vocabularies__technologies=[open_data],
            vocabularies__countries=[spain, france],
        ),
        "Closed one": ProjectFactory(
            name="Closed one",
            live=False,
            vocabularies__social_areas=[democracy],
            vocabularies__countries=[france],
        ),
        "Pending project": ProjectFactory(name="Pending project", status=Status.PENDING),
    }
    return {"liberte": liberte, **projects}


# --- Lists ---------------------------------------------------------------------------------


def test_the_list_shows_only_published_profiles_by_name(client, directory):
    response = client.get(ORGANISATIONS)
    assert response.status_code == 200
    assert names(response) == ["Fab Lab Barcelona", "Liberté Numérique"]
    assert response.context["total"] == 2
    html = response.content.decode()
    assert "Hidden draft" not in html and "Rejected spam" not in html


def test_search_ignores_accents_and_case_and_matches_word_beginnings(client, directory):
    assert names(client.get(ORGANISATIONS, {"q": "liberte"})) == ["Liberté Numérique"]
    assert names(client.get(ORGANISATIONS, {"q": "LIBERTÉ"})) == ["Liberté Numérique"]
    assert names(client.get(ORGANISATIONS, {"q": "numer"})) == ["Liberté Numérique"]
    # places and descriptions are searched too
    assert names(client.get(ORGANISATIONS, {"q": "zurich"})) == ["Liberté Numérique"]
    assert names(client.get(ORGANISATIONS, {"q": "democratie"})) == ["Liberté Numérique"]
    assert names(client.get(ORGANISATIONS, {"q": "hidden"})) == []


def test_long_words_and_several_words_all_filter(client, directory):
    OrganisationFactory(name="Numismatics Collective", short_description="Old coins, open data")
    assert names(client.get(ORGANISATIONS, {"q": "numismatics"})) == ["Numismatics Collective"]
    assert names(client.get(ORGANISATIONS, {"q": "numismatics open"})) == ["Numismatics Collective"]
    assert names(client.get(ORGANISATIONS, {"q": "numismatics closed"})) == []


def test_too_many_values_for_one_filter_are_refused_with_a_message(client, directory):
    response = client.get(PROJECTS, {"tech": [t.slug for t in Technology.objects.all()[:11]]})
    assert response.status_code == 400
    assert "at most 10 values" in response.content.decode()


def test_search_ranks_name_hits_above_description_hits(client, directory):
    ProjectFactory(name="Air quality", short_description="Measuring the air")
    ProjectFactory(name="Something else", short_description="Also about air")
    response = client.get(PROJECTS, {"q": "air"})
    assert names(response)[0] == "Air quality"
    assert response.context["sort"] == "relevance"


def test_search_finds_tags(client, directory):
    project = directory["Decidim"]
    project.who_we_help.set(tags_from_names(["Refugees"]))
    profile_reindex(project)
    assert names(client.get(PROJECTS, {"q": "refugee"})) == ["Decidim"]


def test_filters_combine_and_each_value_counts_its_results(client, directory):
    response = client.get(PROJECTS, {"country": "spain"})
    assert sorted(names(response)) == ["Decidim", "Smart Citizen"]
    facets = {facet.name: facet for facet in response.context["facets"]}
    technologies = {value.value: value.count for value in facets["tech"].values}
    assert technologies == {"open-data": 2, "sensors-and-internet-of-things": 1}
    areas = {value.value: value.count for value in facets["area"].values}
    assert areas == {"health-and-care": 1, "digital-democracy": 1}

    response = client.get(PROJECTS, {"country": "spain", "tech": "sensors-and-internet-of-things"})
    assert names(response) == ["Smart Citizen"]
    # two values of one filter: either may hold
    response = client.get(PROJECTS, {"country": ["spain", "france"]})
    assert names(response) == ["Closed one", "Decidim", "Smart Citizen"]


def test_a_facet_counts_its_values_without_its_own_filter(client, directory):
    """Disjunctive facets: choosing Spain still shows how many France would add, and the other
    facets count within Spain."""
    response = client.get(PROJECTS, {"country": "spain"})
    facets = {facet.name: facet for facet in response.context["facets"]}
    countries = {value.value: value.count for value in facets["country"].values}
    assert countries == {"spain": 2, "france": 2}
    live = {value.value: value.count for value in facets["live"].values}
    assert live == {"live": 2}
    response = client.get(PROJECTS, {"country": "spain", "live": "closed"})
    assert names(response) == []
    facets = {facet.name: facet for facet in response.context["facets"]}
    countries = {value.value: value.count for value in facets["country"].values}
    assert countries == {"france": 1, "spain": 0}
    assert {value.value: value.count for value in facets["live"].values} == {
        "live": 2,
        "closed": 0,
    }


def test_live_and_closed(client, directory):
    assert names(client.get(PROJECTS, {"live": "closed"})) == ["Closed one"]
    assert "Closed one" not in names(client.get(PROJECTS, {"live": "live"}))


def test_city_filter_ignores_accents_and_case(client, directory):
    assert names(client.get(ORGANISATIONS, {"city": "zurich"})) == ["Liberté Numérique"]
    response = client.get(ORGANISATIONS)
    cities = {facet.name: facet for facet in response.context["facets"]}["city"]
    assert {value.label for value in cities.values} == {"Zürich", "Barcelona"}


def test_tag_and_network_filters(client, directory):
    liberte = directory["liberte"]
    liberte.network_tags.set(tags_from_names(["Fab City"]))
    profile_reindex(liberte)
    response = client.get(ORGANISATIONS, {"network": "fab-city"})
    assert names(response) == ["Liberté Numérique"]
    assert response.context["active"][0].label == "Fab City"


def test_organisation_type_and_size_filters(client, directory):
    liberte = directory["liberte"]
    response = client.get(ORGANISATIONS, {"type": liberte.organisation_type.slug})
    assert "Liberté Numérique" in names(response)


def test_facet_links_toggle_a_value_and_keep_the_rest_of_the_query(client, directory):
    response = client.get(PROJECTS, {"q": "d", "country": "spain", "page": "1"})
    facets = {facet.name: facet for facet in response.context["facets"]}
    spain = next(value for value in facets["country"].values if value.value == "spain")
    assert spain.selected
    assert spain.url == "?q=d"  # removing it; the page number is dropped
    france = next(value for value in facets["country"].values if value.value == "france")
    assert france.url == "?q=d&country=spain&country=france"


def test_sorting(client, directory):
    assert names(client.get(PROJECTS, {"sort": "name"}))[0] == "Closed one"
    newest = ProjectFactory(name="Aardvark")
    assert names(client.get(PROJECTS, {"sort": "newest"}))[0] == "Aardvark"
    directory["Decidim"].save()
    assert names(client.get(PROJECTS, {"sort": "updated"}))[0] == "Decidim"
    assert newest


def test_pagination(client, db):
    for number in range(45):
        OrganisationFactory(name=f"Org {number:02d}")
    response = client.get(ORGANISATIONS, {"page": "3"})
    assert response.status_code == 200
    assert names(response) == ["Org 40", "Org 41", "Org 42", "Org 43", "Org 44"]
    assert response.context["pages"] == 3
    html = response.content.decode()
    assert 'aria-current="page"' in html and "?page=2" in html


@pytest.mark.parametrize(
    "params, status, message",
    [
        ({"country": "atlantis"}, 400, "atlantis is not one of the available choices"),
        ({"tag": "no-such-tag"}, 400, "no-such-tag"),
        ({"sort": "random"}, 400, "random is not one of the available choices"),
        ({"live": "maybe"}, 400, "maybe"),
        ({"page": "two"}, 400, "whole number"),
        ({"page": "-1"}, 400, "whole number"),
        ({"page": "99999999999999999999"}, 400, "whole number"),
        ({"page": "\u00b2"}, 400, "whole number"),
        ({"page": "999999"}, 404, "There is no page 999999"),
        ({"q": "x" * 201}, 400, "at most 200 characters"),
    ],
)
def test_bad_query_strings_get_a_clear_message_not_a_500(
    client, directory, params, status, message
):
    response = client.get(PROJECTS, params)
    assert response.status_code == status
    assert message in response.content.decode()


def test_control_characters_in_a_search_are_dropped(client, directory):
    response = client.get(ORGANISATIONS, {"q": "liber\x07te\x1b"})
    assert response.status_code == 200
    assert names(response) == ["Liberté Numérique"]


def test_a_search_of_only_punctuation_matches_nothing(client, directory):
    response = client.get(ORGANISATIONS, {"q": "&|!:*()'"})
    assert response.status_code == 200
    assert names(response) == []


def test_an_invalid_filter_is_reported_and_the_rest_still_applies(client, directory):
    response = client.get(PROJECTS, {"country": "spain", "area": "nonsense"})
    assert response.status_code == 400
    assert sorted(names(response)) == ["Decidim", "Smart Citizen"]


def test_facet_counts_are_cached_and_refresh_when_content_changes(
    client, directory, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.get(PROJECTS)
    with django_assert_num_queries(0):  # the same page again: all of it from the cache
        assert client.get(PROJECTS).status_code == 200
    # the same results in another order: counts cached; the page's ids, and its cards (the
    # projects' own countries in the same query)
    with django_assert_num_queries(2):
        assert client.get(PROJECTS, {"sort": "newest"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        ProjectFactory(name="Fresh")  # published rows through the factory do not bump
        from directory.versions import directory_changed

        directory_changed()
    assert client.get(PROJECTS).context["total"] == 4


@pytest.mark.parametrize("url", [ORGANISATIONS, PROJECTS])
def test_list_query_count_is_bounded(client, directory, django_assert_num_queries, url):
    solar = Tag.objects.create(name="Solar", slug="solar")
    for number in range(30):
        factory = OrganisationFactory if url == ORGANISATIONS else ProjectFactory
        profile = factory(name=f"Extra {number}")
        profile.tags.set([solar])
        profile_reindex(profile)
    client.get(url)  # vocabularies cached, as they are on a running site
    # the facet index's look for changes (at every request in tests), the search's ids, tag
    # labels, the page's ids by relevance, its cards
    expected = 5
    with django_assert_num_queries(expected):
        response = client.get(url, {"q": "extra"})
    assert response.status_code == 200 and len(response.context["profiles"]) == 20
    with django_assert_num_queries(0):  # again: the whole page comes from the cache
        response = client.get(url, {"q": "extra"})
    assert response.content.decode().count('class="card"') == 20
    # no search, the page from the index; a tag filter checks that the tag exists
    with django_assert_num_queries(expected - 1):
        response = client.get(url, {"tag": "solar", "sort": "newest"})
    assert response.status_code == 200 and response.context["total"] == 30


@pytest.mark.parametrize(
    ("url", "label", "add_url"),
    [
        (ORGANISATIONS, "Add an organisation", "directory:organisation_create"),
        (PROJECTS, "Add a project", "directory:project_create"),
    ],
)
def test_a_list_links_to_adding_one_and_skips_its_filters(client, directory, url, label, add_url):
    """From the list, not only the dashboard; and a skip link past the facets to the results,
    which come first in a phone's layout with the filters in a panel (a <details>)."""
    page = client.get(url).content.decode()
    assert f'<a class="button" href="{reverse(add_url)}">{label}</a>' in page
    assert '<a class="skip-to-results" href="#results">Skip to the results</a>' in page
    assert page.index('href="#results"') < page.index('<details class="filter-panel"')
    assert page.index('class="filter-panel"') < page.index('id="results"')
    # The cached page says the same.
    assert f">{label}</a>" in client.get(url).content.decode()


def test_lists_work_in_other_languages(client, directory):
    response = client.get("/de/projects/", {"area": "health-and-care"})
    assert response.status_code == 200
    assert "Gesundheit" in response.content.decode()


# --- Detail pages -----------------------------------------------------------------------------


def test_organisation_detail_shows_profile_projects_members_and_licence(client, directory, user):
    liberte = directory["liberte"]
    from directory.models import Membership
    from directory.models import ProjectOrganisation
    from directory.models import Role

    Membership.objects.create(user=user, organisation=liberte, role=Role.OWNER)
    ProjectOrganisation.objects.create(
        project=directory["Decidim"], organisation=liberte, role="lead"
    )
    ProjectOrganisation.objects.create(
        project=directory["Pending project"], organisation=liberte, role="partner"
    )
    response = client.get(liberte.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Liberté Numérique" in html and "Des outils libres" in html
    assert "Decidim" in html and "Pending project" not in html
    assert user.name in html
    assert "CC BY 4.0" in html and 'rel="license"' in html


def test_project_detail_shows_organisations_and_vocabularies(client, directory):
    project = directory["Smart Citizen"]
    from directory.models import ProjectOrganisation

    ProjectOrganisation.objects.create(
        project=project, organisation=directory["liberte"], role="lead"
    )
    response = client.get(project.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Liberté Numérique" in html and "lead organisation" in html
    assert "Health and care" in html and "Open data" in html
    assert reverse("directory:project_list") + "?tech=open-data" in html


def test_description_html_is_sanitised_on_the_way_out(client, db):
    profile = OrganisationFactory(
        description='<p onclick="x()">Hi<script>alert(1)</script><iframe src="//evil"></iframe></p>'
    )
    html = client.get(profile.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<iframe" not in html and "onclick" not in html


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED])
def test_unpublished_profiles_are_not_found(client, db, status):
    profile = OrganisationFactory(status=status)
    assert client.get(profile.get_absolute_url()).status_code == 404


def test_detail_query_counts(client, directory, django_assert_num_queries):
    organisation, project = directory["liberte"], directory["Decidim"]
    # the first visit renders the body: the row, then profile, tags, networks, projects,
    # partners through shared projects (directory.neighbourhood), members
    with django_assert_num_queries(7):
        assert client.get(organisation.get_absolute_url()).status_code == 200
    # the row, then profile, seven vocabularies and tags, organisations, members
    with django_assert_num_queries(11):
        assert client.get(project.get_absolute_url()).status_code == 200
    # later visits read the row and body from the cache, stamped with the directory's version
    for profile in (organisation, project):
        with django_assert_num_queries(0):
            assert client.get(profile.get_absolute_url()).status_code == 200


def test_the_cached_detail_page_follows_edits_and_keeps_the_viewers_own_actions(
    client, directory, user, django_capture_on_commit_callbacks
):
    from directory.models import Membership
    from directory.models import Role
    from directory.services.profiles import profile_update

    organisation = directory["liberte"]
    Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)
    assert "Edit this profile" not in client.get(organisation.get_absolute_url()).content.decode()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(profile=organisation, user=user, fields={"description": "<p>Neuf</p>"})
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Neuf" in html and "Edit this profile" in html


def test_an_archived_profile_leaves_its_cached_detail_page_at_once(
    client, directory, user, django_capture_on_commit_callbacks
):
    from directory.models import Membership
    from directory.models import Role
    from directory.services.profiles import profile_archive

    project = directory["Decidim"]
    Membership.objects.create(user=user, project=project, role=Role.OWNER)
    assert client.get(project.get_absolute_url()).status_code == 200  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        profile_archive(profile=project, user=user)
    assert client.get(project.get_absolute_url()).status_code == 404


def test_header_links_to_the_directory(client, db):
    html = client.get("/en/").content.decode()
    assert 'href="/en/organisations/"' in html and 'href="/en/projects/"' in html


def test_lists_are_counted_in_the_background_after_a_change(
    client, directory, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.DIRECTORY_WARM_LISTS = True
    client.get(PROJECTS)  # vocabularies cached
    with django_capture_on_commit_callbacks(execute=True):
        from directory.versions import directory_changed

        directory_changed()
    # the task (eager here) counted the new version; the visitor's request is made from the
    # facet index (a look for changes, the cards)
    with django_assert_num_queries(2):
        response = client.get(PROJECTS)
    assert response.context["total"] == 3


def test_a_lost_version_key_starts_above_every_earlier_version(client, directory):
    """Should Redis lose the directory's version, entries stamped before must not pass as
    current: a fresh version is larger than any number handed out before."""
    import time

    from django.core.cache import cache

    from directory.versions import DIRECTORY_VERSION_KEY
    from directory.versions import directory_version

    directory_version()
    for _ in range(3):  # three changes to published content
        cache.incr(DIRECTORY_VERSION_KEY)
    before = directory_version()
    time.sleep(0.01)  # fresh versions count milliseconds: more than one change per ms is unreal
    cache.delete(DIRECTORY_VERSION_KEY)
    assert directory_version() > before


def test_a_card_without_a_place_does_not_start_with_a_separator(client, db):
    organisation = OrganisationFactory(name="Placeless", city="", country=None)
    project = ProjectFactory(name="Nowhere project", city="")
    html = client.get(ORGANISATIONS).content.decode()
    card = html.split(">Placeless</a>", 1)[1].split("</li>", 1)[0]
    assert f'<p class="meta">{organisation.organisation_type}</p>' in card
    html = client.get("/en/projects/").content.decode()
    card = html.split(">Nowhere project</a>", 1)[1].split("</li>", 1)[0]
    assert "·" not in card
    assert project.pk
