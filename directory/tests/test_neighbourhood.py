"""An organisation's neighbourhood on its page (directory/neighbourhood.py): its partners
through shared published projects, as a list and as the small graph's data."""

import json

import pytest

from core.models import Status
from directory.models import ProjectOrganisation
from directory.models.querysets import NEIGHBOURHOOD_LIMIT
from directory.neighbourhood import organisation_neighbourhood
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory


def _link(organisation, project):
    ProjectOrganisation.objects.create(organisation=organisation, project=project)


@pytest.fixture
def partners(db):
    home = OrganisationFactory(name="Home Lab")
    often, once, late = (OrganisationFactory(name=name) for name in ("Often", "Once", "Later"))
    draft = OrganisationFactory(name="Draft Partner", status=Status.DRAFT)
    stranger = OrganisationFactory(name="Stranger")
    first, second = ProjectFactory(name="First"), ProjectFactory(name="Second")
    hidden = ProjectFactory(name="Hidden project", status=Status.PENDING)
    for organisation in (home, often, once, draft):
        _link(organisation, first)
    for organisation in (home, often):
        _link(organisation, second)
    for organisation in (home, late):
        _link(organisation, hidden)  # not published: no link through it
    _link(stranger, ProjectFactory(name="Elsewhere"))
    return home, often, once


def test_partners_are_published_organisations_sharing_published_projects(partners):
    home, often, once = partners
    found = organisation_neighbourhood(home)
    assert [(p.name, [name for name, _ in p.projects]) for p in found.partners] == [
        ("Often", ["First", "Second"]),
        ("Once", ["First"]),
    ]
    assert found.total == 2
    edges = {(e["source"], e["target"]): e["weight"] for e in found.graph["edges"]}
    assert edges == {
        (f"o{home.pk}", f"o{often.pk}"): 2,
        (f"o{home.pk}", f"o{once.pk}"): 1,
        (f"o{often.pk}", f"o{once.pk}"): 1,  # they share First too
    }


def test_the_page_lists_the_partners_and_carries_the_graph(client, partners):
    home, often, _ = partners
    page = client.get(home.get_absolute_url()).content.decode()
    assert "Partner organisations" in page
    assert "Shares projects with 2 organisations." in page
    assert f'<a href="{often.get_absolute_url()}">Often</a>' in page
    assert "Draft Partner" not in page and "Later" not in page and "Stranger" not in page
    data = page.split('id="neighbourhood-data" type="application/json">')[1].split("</script>")[0]
    assert {node["name"] for node in json.loads(data)["nodes"]} == {"Home Lab", "Often", "Once"}
    assert 'src="/static/js/profile-network.js"' in page


def test_an_organisation_without_partners_says_so(client, db):
    alone = OrganisationFactory(name="Alone")
    _link(alone, ProjectFactory(name="Solo"))
    page = client.get(alone.get_absolute_url()).content.decode()
    assert "No shared projects with other organisations yet." in page
    assert "profile-network.js" not in page


def test_the_list_is_bounded_the_most_shared_first(client, db, django_assert_num_queries):
    home = OrganisationFactory(name="Hub")
    big = ProjectFactory(name="Big")
    _link(home, big)
    many = [OrganisationFactory(name=f"Member {n:03}") for n in range(NEIGHBOURHOOD_LIMIT + 5)]
    ProjectOrganisation.objects.bulk_create(
        ProjectOrganisation(organisation=organisation, project=big) for organisation in many
    )
    close = many[-1]
    other = ProjectFactory(name="Other")
    _link(home, other)
    _link(close, other)
    with django_assert_num_queries(1):
        found = organisation_neighbourhood(home)
    assert found.total == NEIGHBOURHOOD_LIMIT + 5
    assert len(found.partners) == NEIGHBOURHOOD_LIMIT
    assert found.partners[0].name == close.name
    page = client.get(home.get_absolute_url()).content.decode()
    assert f"The {NEIGHBOURHOOD_LIMIT} with the most shared projects are shown." in page
