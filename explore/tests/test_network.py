"""The network (explore/network.py, network_views.py): the figures against a brute force over
random data, the lists' filters selecting as the lists do, the organisations-only edges, the
downloads, bad queries, query counts and the drawing's limit."""

import json
import random
import xml.etree.ElementTree as ET
from itertools import combinations

import pytest
from django.http import QueryDict

from core.models import Status
from directory.filters import OrganisationFilterSet
from directory.filters import ProjectFilterSet
from directory.models import Country
from directory.models import Organisation
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from explore import network as network_module
from explore.network import network_query
from explore.network import network_summary

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def _drawing(client, query=""):
    """The drawing's JSON, its nodes and edges as dictionaries."""
    graph = client.get(f"/en/explore/network/graph.json?{query}").json()
    kinds = {"o": "organisation", "p": "project"}
    graph["nodes"] = [
        {"id": key, "kind": kinds[key[0]], "name": name, "url": graph["urls"][key[0]].format(slug)}
        for key, name, slug, _x, _y, _degree in graph["nodes"]
    ]
    graph["edges"] = [{"source": a, "target": b, "weight": w} for a, b, w in graph["edges"]]
    return graph


def _link(organisation, project, role="partner"):
    ProjectOrganisation.objects.create(organisation=organisation, project=project, role=role)


@pytest.fixture
def random_directory(db):
    """Organisations and projects linked at random, some of them unpublished."""
    rng = random.Random(16)
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    organisations = [
        OrganisationFactory(
            name=f"Org {n}",
            country=rng.choice([spain, france]),
            status=Status.PUBLISHED if n % 9 else Status.DRAFT,
        )
        for n in range(22)
    ]
    projects = [
        ProjectFactory(name=f"Proj {n}", status=Status.PUBLISHED if n % 7 else Status.PENDING)
        for n in range(16)
    ]
    for project in projects:
        for organisation in rng.sample(organisations, rng.choice([0, 1, 1, 2, 2, 3, 4])):
            _link(organisation, project)
    return organisations, projects


def _brute_force(*, side: str, show: str, chosen: set[int]) -> dict:
    """The figures by definition: every published link, pairs by comparing sets, parts by
    walking the graph from each node."""
    links = [
        (link.organisation_id, link.project_id)
        for link in ProjectOrganisation.objects.all()
        if link.organisation.status == Status.PUBLISHED and link.project.status == Status.PUBLISHED
    ]
    if side == "organisations":
        links = [(o, p) for o, p in links if o in chosen]
        organisations, projects = chosen, {p for _, p in links}
    else:
        links = [(o, p) for o, p in links if p in chosen]
        organisations, projects = {o for o, _ in links}, chosen
    in_project = {p: {o for o, q in links if q == p} for p in projects}
    partners = {o: set() for o in organisations}
    for members in in_project.values():
        for a, b in combinations(members, 2):
            partners[a].add(b)
            partners[b].add(a)
    if show == "both":
        nodes = {("o", o) for o in organisations} | {("p", p) for p in projects}
        neighbours = {node: set() for node in nodes}
        for o, p in links:
            neighbours[("o", o)].add(("p", p))
            neighbours[("p", p)].add(("o", o))
    else:
        nodes = {("o", o) for o in organisations}
        neighbours = {("o", o): {("o", b) for b in partners[o]} for o in organisations}
    sizes, seen = [], set()
    for start in nodes:
        if start in seen:
            continue
        stack, size = [start], 0
        seen.add(start)
        while stack:
            node = stack.pop()
            size += 1
            for other in neighbours[node] - seen:
                seen.add(other)
                stack.append(other)
        sizes.append(size)
    return {
        "organisations": len(organisations),
        "projects": len(projects),
        "links": len(links),
        "partnerships": sum(len(each) for each in partners.values()) // 2,
        "with_project": len({o for o, _ in links}),
        "connected": sum(1 for each in partners.values() if each),
        "shared_projects": sum(1 for members in in_project.values() if len(members) >= 2),
        "components": len(sizes),
        "largest": max(sizes, default=0),
        "degrees": sorted((len(each) for each in partners.values() if each), reverse=True),
    }


@pytest.mark.parametrize("show", ["both", "organisations"])
@pytest.mark.parametrize(
    ("side", "query"),
    [
        ("organisations", ""),
        ("organisations", "country=france"),
        ("projects", ""),
        ("projects", "q=proj"),
    ],
)
def test_figures_equal_a_brute_force(random_directory, side, show, query):
    params = QueryDict(f"select={side}&show={show}&{query}")
    network = network_query(params)
    assert network.errors == []
    model, filterset_class = network_module.SIDES[side]
    chosen = set(
        filterset_class(params, queryset=model.objects.published()).qs.values_list("pk", flat=True)
    )
    summary, drawing = network_summary(network)
    expected = _brute_force(side=side, show=show, chosen=chosen)
    degrees = expected.pop("degrees")
    assert {key: summary[key] for key in expected} == expected
    assert [degree for _, _, degree, _ in summary["top"]] == degrees[: len(summary["top"])]
    assert sum(count for _, count in summary["component_sizes"]) == expected["components"]
    assert drawing["total"] == len(drawing["nodes"]) == summary["total_nodes"]


@pytest.mark.parametrize(
    ("select", "query", "filterset_class", "model"),
    [
        ("organisations", "country=spain", OrganisationFilterSet, Organisation),
        ("organisations", "q=org+1", OrganisationFilterSet, Organisation),
        ("projects", "live=live&q=proj", ProjectFilterSet, Project),
    ],
)
def test_the_filters_select_as_the_lists_do(
    client, random_directory, select, query, filterset_class, model
):
    listed = filterset_class(QueryDict(query), queryset=model.objects.published()).qs
    expected = {f"{select[0]}{pk}" for pk in listed.values_list("pk", flat=True)}
    assert expected
    graph = _drawing(client, f"select={select}&{query}")
    kind = select[:-1]
    assert {node["id"] for node in graph["nodes"] if node["kind"] == kind} == expected
    # the other side: exactly what the selected side's published links bring in
    other = {node["id"] for node in graph["nodes"] if node["kind"] != kind}
    links = ProjectOrganisation.objects.published()
    if select == "organisations":
        brought = {
            f"p{p}"
            for o, p in links.values_list("organisation_id", "project_id")
            if f"o{o}" in expected
        }
    else:
        brought = {
            f"o{o}"
            for o, p in links.values_list("organisation_id", "project_id")
            if f"p{p}" in expected
        }
    assert other == brought


def test_organisations_only_links_those_sharing_a_project_weighted(client, db):
    a, b, c, d = (OrganisationFactory(name=name) for name in "ABCD")
    hidden = OrganisationFactory(name="Hidden", status=Status.DRAFT)
    one, two = ProjectFactory(name="One"), ProjectFactory(name="Two")
    draft = ProjectFactory(name="Draft", status=Status.DRAFT)
    for organisation in (a, b):
        _link(organisation, one)
    for organisation in (a, b, c, hidden):
        _link(organisation, two)
    _link(c, draft)
    _link(d, draft)
    graph = _drawing(client, "show=organisations")
    assert {node["kind"] for node in graph["nodes"]} == {"organisation"}
    assert {node["name"] for node in graph["nodes"]} == {"A", "B", "C", "D"}
    edges = {frozenset((edge["source"], edge["target"])): edge["weight"] for edge in graph["edges"]}
    assert edges == {
        frozenset((f"o{a.pk}", f"o{b.pk}")): 2,
        frozenset((f"o{a.pk}", f"o{c.pk}")): 1,
        frozenset((f"o{b.pk}", f"o{c.pk}")): 1,
    }
    page = client.get("/en/explore/network/?show=organisations").content.decode()
    # A and B share two projects with each other and one with C: the most connected
    assert page.index(">A</a>") < page.index(">C</a>")
    assert f'href="{a.get_absolute_url()}"' in page


def test_graphml_and_json_downloads_hold_the_whole_network(client, random_directory):
    summary, _ = network_summary(network_query(QueryDict("")))
    response = client.get("/en/explore/network.graphml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/graphml+xml")
    root = ET.fromstring(b"".join(response.streaming_content))
    nodes = root.findall(f"{GRAPHML}graph/{GRAPHML}node")
    edges = root.findall(f"{GRAPHML}graph/{GRAPHML}edge")
    assert len(nodes) == summary["organisations"] + summary["projects"]
    assert len(edges) == summary["links"]
    keys = {key.get("id"): key.get("for") for key in root.findall(f"{GRAPHML}key")}
    assert keys == {"kind": "node", "name": "node", "url": "node", "weight": "edge"}
    first = {data.get("key"): data.text for data in nodes[0]}
    assert first["kind"] in {"organisation", "project"} and first["url"].startswith("http")
    ids = {node.get("id") for node in nodes}
    assert all(edge.get("source") in ids and edge.get("target") in ids for edge in edges)

    response = client.get("/en/explore/network.json?show=organisations&country=spain")
    data = json.loads(b"".join(response.streaming_content))
    spain = network_summary(network_query(QueryDict("show=organisations&country=spain")))[0]
    assert data["select"] == "organisations" and data["show"] == "organisations"
    assert len(data["nodes"]) == spain["organisations"]
    assert len(data["edges"]) == spain["partnerships"]
    assert {node["kind"] for node in data["nodes"]} == {"organisation"}


def test_names_that_xml_refuses_are_cleaned_in_graphml(client, db):
    organisation = OrganisationFactory(name="Ampersand & <Angle>")
    Organisation.objects.filter(pk=organisation.pk).update(name="Ampersand & <Angle>\x0b")
    root = ET.fromstring(b"".join(client.get("/en/explore/network.graphml").streaming_content))
    names = [data.text for data in root.iter(f"{GRAPHML}data") if data.get("key") == "name"]
    assert names == ["Ampersand & <Angle>"]


@pytest.mark.parametrize(
    "query",
    [
        "select=people",
        "show=everything",
        "country=atlantis",
        "select=projects&live=maybe",
        "q=" + "x" * 201,
        "area=" + "&area=".join(["health-and-care"] * 11),
    ],
)
@pytest.mark.parametrize(
    "path",
    [
        "/en/explore/network/",
        "/en/explore/network/graph.json",
        "/en/explore/network.graphml",
        "/en/explore/network.json",
    ],
)
def test_bad_queries_are_refused_with_a_400(client, db, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    if path.endswith("/network/"):
        assert "could not be used" in response.content.decode()
    else:
        assert response.json()["detail"]


def test_unknown_parameters_are_ignored_and_known_ones_judged_as_the_list_does(client, db):
    assert client.get("/en/explore/network/?utm_source=x&page=2").status_code == 200
    for query in ("type=nope", "q=", "city=", "live=live"):
        listed = client.get(f"/en/organisations/?{query}").status_code
        assert client.get(f"/en/explore/network/?{query}").status_code == listed
    # An empty value is the form's "Any", as on the map.
    assert client.get("/en/explore/network/?type=&country=").status_code == 200


def test_query_counts_are_bounded(client, random_directory, django_assert_num_queries):
    client.get("/en/organisations/")  # the worker's facet index built (in the request, in tests)
    # cold: the facet index's look for changes (at every request in tests), the links, the
    # drawn nodes' names (two kinds), the most connected organisations' names
    with django_assert_num_queries(5):
        assert client.get("/en/explore/network/").status_code == 200
    with django_assert_num_queries(0):  # the figures and drawing are cached
        assert client.get("/en/explore/network/graph.json").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/en/explore/network/?select=organisations&show=both").status_code == 200
    # another selection: the links are kept in the worker (and Redis) for the links' version
    with django_assert_num_queries(4):
        assert client.get("/en/explore/network/?country=spain").status_code == 200
    with django_assert_num_queries(3):  # the index's look, then the names of each kind
        response = client.get("/en/explore/network.graphml")
        b"".join(response.streaming_content)


def test_above_the_limit_the_largest_parts_are_drawn_and_the_page_says_so(client, db, monkeypatch):
    monkeypatch.setattr(network_module, "NODE_LIMIT", 5)
    big = [OrganisationFactory(name=f"Big {n}") for n in range(3)]
    hub = ProjectFactory(name="Hub project")
    for organisation in big:
        _link(organisation, hub)
    small = OrganisationFactory(name="Small")
    _link(small, ProjectFactory(name="Small project"))
    OrganisationFactory(name="Alone")
    graph = _drawing(client)
    assert graph["sampled"] is True
    assert graph["total"] == 7 and graph["drawn"] == 5
    names = {node["name"] for node in graph["nodes"]}
    # the part of four first, then the most connected node of the next part
    assert {"Big 0", "Big 1", "Big 2", "Hub project"} < names
    assert "Alone" not in names
    page = client.get("/en/explore/network/").content.decode()
    assert "This network has 7 nodes: the drawing shows 5 of them" in page
    assert 'data-figure="components">3<' in page


def test_the_page_without_javascript_has_the_figures_and_tables(client, random_directory):
    page = client.get("/en/explore/network/").content.decode()
    assert "Organisations connected to another" in page
    assert "Connected parts by size" in page
    assert "The most connected organisations" in page
    assert "data-network-canvas" in page and " hidden " in page
    assert "/en/explore/network.graphml?select=organisations&amp;show=both" in page


def test_a_part_too_big_is_cut_to_a_linked_neighbourhood_of_its_most_connected_node(
    client, db, monkeypatch
):
    monkeypatch.setattr(network_module, "NODE_LIMIT", 6)
    hub = OrganisationFactory(name="Hub")
    chain = [OrganisationFactory(name=f"Chain {n}") for n in range(6)]
    for number, organisation in enumerate(chain):
        project = ProjectFactory(name=f"Link {number}")
        _link(hub if number == 0 else chain[number - 1], project)
        _link(organisation, project)
    for number in range(3):  # the hub's own projects make it the most connected node
        _link(hub, ProjectFactory(name=f"Own {number}"))
    graph = _drawing(client)
    assert graph["sampled"] is True and graph["drawn"] == 6
    drawn = {node["id"] for node in graph["nodes"]}
    assert f"o{hub.pk}" in drawn
    reached, edges = {f"o{hub.pk}"}, [(e["source"], e["target"]) for e in graph["edges"]]
    for _ in drawn:
        reached |= {b for a, b in edges if a in reached} | {a for a, b in edges if b in reached}
    assert reached == drawn  # what is drawn stays linked
