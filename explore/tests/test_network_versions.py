"""What the network is keyed by (explore/network.py): an edit of a profile's text keeps the
figures and drawing (only the names are read again); a link added or removed, or a linked
profile unpublished, shows at once; the links are shared between workers through Redis, and
one worker makes a shape while the others wait for it; the background warming; the collector
paused."""

import pytest
from django.http import QueryDict

from directory.models import ProjectOrganisation
from directory.services.profiles import profile_archive
from directory.services.profiles import profile_update
from directory.services.profiles import project_set_organisations
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from directory.versions import DIRECTORY
from directory.versions import LINKS
from explore import network as network_module
from explore.network import network_summary


@pytest.fixture
def linked(db):
    """Two organisations running one project, a third on its own."""
    a, b = OrganisationFactory(name="Alpha"), OrganisationFactory(name="Beta")
    alone = OrganisationFactory(name="Gamma")
    project = ProjectFactory(name="Shared")
    for organisation in (a, b):
        ProjectOrganisation.objects.create(organisation=organisation, project=project, role="lead")
    return a, b, alone, project


def _graph(client, query=""):
    graph = client.get(f"/en/explore/network/graph.json?{query}").json()
    names = {key: name for key, name, *_ in graph["nodes"]}
    edges = {(a, b) for a, b, _ in graph["edges"]}
    return names, edges


def _figures_forbidden(monkeypatch):
    def computed(*args, **kwargs):
        raise AssertionError("the figures were computed again")

    monkeypatch.setattr(network_module, "figures", computed)


def test_an_edit_of_a_profiles_text_keeps_the_network_and_shows_the_new_name(
    client,
    linked,
    admin_user,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
    monkeypatch,
):
    a, b, _, project = linked
    client.get("/en/organisations/")  # the worker's facet index built (in the request, in tests)
    names, edges = _graph(client)
    assert names[f"o{a.pk}"] == "Alpha"
    links, directory = LINKS.current(), DIRECTORY.current()
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(profile=a, user=admin_user, fields={"name": "Alpha renamed"})
    assert DIRECTORY.current() != directory
    assert LINKS.current() == links  # no link and no status changed
    _figures_forbidden(monkeypatch)
    # the index's look and its reading of the row changed, the drawn nodes' names (two kinds),
    # the most connected organisations' names: not the links, and no figures computed
    with django_assert_num_queries(5):
        names_after, edges_after = _graph(client)
    assert names_after[f"o{a.pk}"] == "Alpha renamed"
    assert edges_after == edges
    page = client.get("/en/explore/network/").content.decode()
    assert ">Alpha renamed</a>" in page


def test_an_edit_that_changes_the_selection_is_computed_again(
    client, linked, admin_user, django_capture_on_commit_callbacks
):
    a, *_ = linked
    client.get("/en/organisations/")
    names, _ = _graph(client, "q=zebra")
    assert names == {}
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(profile=a, user=admin_user, fields={"name": "Zebra"})
    names, _ = _graph(client, "q=zebra")
    assert set(names) >= {f"o{a.pk}"}
    assert names[f"o{a.pk}"] == "Zebra"


def test_a_link_added_or_removed_shows_at_once(
    client, linked, admin_user, django_capture_on_commit_callbacks
):
    a, b, alone, project = linked
    client.get("/en/organisations/")
    _, edges = _graph(client)
    assert edges == {(f"o{a.pk}", f"p{project.pk}"), (f"o{b.pk}", f"p{project.pk}")}
    links = LINKS.current()
    with django_capture_on_commit_callbacks(execute=True):
        project_set_organisations(
            project=project, user=admin_user, organisations=[(a, "lead"), (alone, "partner")]
        )
    assert LINKS.current() != links
    _, edges = _graph(client)
    assert edges == {(f"o{a.pk}", f"p{project.pk}"), (f"o{alone.pk}", f"p{project.pk}")}
    page = client.get("/en/explore/network/?show=organisations").content.decode()
    assert ">Gamma</a>" in page and ">Beta</a>" not in page


def test_a_linked_profile_archived_leaves_the_network_at_once(
    client, linked, admin_user, django_capture_on_commit_callbacks
):
    a, b, _, project = linked
    client.get("/en/organisations/")
    names, _ = _graph(client)
    assert f"p{project.pk}" in names
    with django_capture_on_commit_callbacks(execute=True):
        profile_archive(profile=project, user=admin_user)
    names, edges = _graph(client)
    assert f"p{project.pk}" not in names
    assert edges == set()


def test_the_links_are_read_once_and_shared_between_workers(
    client, linked, django_assert_num_queries
):
    client.get("/en/organisations/")
    with django_assert_num_queries(5):  # the index's look, the links, the names (three reads)
        client.get("/en/explore/network/")
    network_module._LINKS.clear()  # another worker, which holds no links
    # the index's look, the names of the organisations drawn and of the most connected: the
    # links come from Redis
    with django_assert_num_queries(3):
        client.get("/en/explore/network/?show=organisations")


def test_after_a_change_the_unfiltered_network_is_made_in_the_background(
    client,
    linked,
    admin_user,
    settings,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    settings.EXPLORE_WARM_NETWORK = True
    a, b, alone, project = linked
    client.get("/en/organisations/")
    with django_capture_on_commit_callbacks(execute=True):
        project_set_organisations(
            project=project, user=admin_user, organisations=[(a, "lead"), (alone, "partner")]
        )
    # the task (eager here) made both ways of showing it under the new versions
    with django_assert_num_queries(0):
        names, edges = _graph(client)
        page = client.get("/en/explore/network/?show=organisations").content.decode()
    assert edges == {(f"o{a.pk}", f"p{project.pk}"), (f"o{alone.pk}", f"p{project.pk}")}
    assert ">Gamma</a>" in page and ">Beta</a>" not in page
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(profile=alone, user=admin_user, fields={"name": "Gamma renamed"})
    with django_assert_num_queries(0):
        names, _ = _graph(client)
    assert names[f"o{alone.pk}"] == "Gamma renamed"


def test_the_collector_waits_while_the_figures_are_computed(client, linked, monkeypatch):
    import gc

    seen = []
    computed = network_module.figures

    def figures(*args, **kwargs):
        seen.append(gc.isenabled())
        return computed(*args, **kwargs)

    monkeypatch.setattr(network_module, "figures", figures)
    assert gc.isenabled()
    assert client.get("/en/explore/network/").status_code == 200
    assert seen == [False]
    assert gc.isenabled()


def _someone_else_making(monkeypatch, made_meanwhile):
    """Another worker holds the key that says it makes the shape; `made_meanwhile()` runs at
    the first wait (that worker finishing), with the key then free."""
    other = {"done": False}
    add = network_module.cache.add

    def taken(*args, **kwargs):
        return add(*args, **kwargs) if other["done"] else False

    def sleep(seconds):
        if not other["done"]:
            other["done"] = True
            made_meanwhile()

    monkeypatch.setattr(network_module.cache, "add", taken)
    monkeypatch.setattr(network_module.time, "sleep", sleep)


def test_a_worker_waits_for_the_shape_another_is_making(client, linked, monkeypatch):
    client.get("/en/organisations/")
    calls = []
    computed = network_module.figures

    def figures(*args, **kwargs):
        calls.append(1)
        return computed(*args, **kwargs)

    monkeypatch.setattr(network_module, "figures", figures)
    network = network_module.network_query(QueryDict(""))
    made = []
    _someone_else_making(monkeypatch, lambda: made.append(network_summary(network)))
    names, edges = _graph(client)
    assert made and calls == [1]  # made once, by the other worker
    a, b, _, project = linked
    assert edges == {(f"o{a.pk}", f"p{project.pk}"), (f"o{b.pk}", f"p{project.pk}")}


def test_a_worker_makes_the_shape_itself_when_the_other_takes_too_long(client, linked, monkeypatch):
    client.get("/en/organisations/")
    monkeypatch.setattr(network_module, "SHAPE_WAIT_SECONDS", 0.0)
    _someone_else_making(monkeypatch, lambda: None)
    names, edges = _graph(client)
    a, b, _, project = linked
    assert edges == {(f"o{a.pk}", f"p{project.pk}"), (f"o{b.pk}", f"p{project.pk}")}
