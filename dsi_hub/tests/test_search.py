import pytest

from directory.models import Country, Organisation, Project, SocialArea, Status
from directory.search import profile_reindex


@pytest.fixture
def directory(db):
    Organisation.objects.create(
        name="Waag",
        slug="waag",
        city="Amsterdam",
        status=Status.PUBLISHED,
        country=Country.objects.get(code="NL"),
    )
    Organisation.objects.create(name="Waag Draft", slug="waag-draft", status=Status.PENDING)
    project = Project.objects.create(
        name="Smart Citizen",
        slug="smart-citizen",
        short_description="Sensors by Waag",
        status=Status.PUBLISHED,
    )
    project.countries.set([Country.objects.get(code="ES")])
    project.social_areas.set([SocialArea.objects.first()])
    for profile in [*Organisation.objects.all(), project]:
        profile_reindex(profile)


def test_search_finds_published_organisations_and_projects(
    client, directory, django_assert_num_queries
):
    # two counts, two lists, and the projects' countries prefetched
    with django_assert_num_queries(5):
        response = client.get("/en/search/", {"q": "waag"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Waag" in html and "Smart Citizen" in html
    assert "Waag Draft" not in html
    assert response.context["organisation_count"] == 1
    assert response.context["project_count"] == 1


def test_an_empty_search_explains_itself(client, db):
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert "Type a word to search" in response.content.decode()


def test_bad_searches_get_a_message_not_an_error(client, db):
    response = client.get("/en/search/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    response = client.get("/en/search/", {"q": "wa\x00ag"})
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()
    response = client.get("/en/search/", {"q": "wa\x07ag\x1b"})
    assert response.status_code == 200
    assert response.context["query"] == "waag"


def test_the_header_search_box_is_on_every_page(client, db):
    html = client.get("/de/about/").content.decode()
    assert 'action="/de/search/"' in html
    assert 'role="search"' in html


def test_search_is_accent_insensitive_ranked_and_links_to_the_full_lists(client, db):
    from directory.tests.factories import OrganisationFactory

    OrganisationFactory(name="Société Liberté", short_description="Outils")
    OrganisationFactory(name="Other", short_description="Works with Société Liberté")
    for number in range(20):
        OrganisationFactory(name=f"Liberty {number}", short_description="liberte everywhere")
    response = client.get("/en/search/", {"q": "liberte"})
    assert response.context["organisation_count"] == 22
    assert response.context["organisations"][0].name == "Société Liberté"
    assert "/en/organisations/?q=liberte" in response.content.decode()
