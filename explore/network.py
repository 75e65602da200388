"""The network of organisations and projects (/<lang>/explore/network/).

Which profiles: the filters and search of one list select one side, with the same query string
and the same FilterSet as that list (`select=organisations`, the default, or `select=projects`);
the ids come from the directory's facet index, or from Postgres while it has none. The other
side is brought in through the links: the published projects of the selected organisations, or
the published organisations of the selected projects; the nodes it brings are not filtered. Two
ways to show it (`show`): organisations and projects as two kinds of node, an edge where an
organisation runs or partners in a project (`both`), or organisations only, an edge between two
that share a project, weighted by how many (`organisations`).

Every published link is read in one query (ProjectOrganisation.objects.pairs()) and kept in the
worker for the directory's version; the figures (union-find, degree counts) and the drawing are
computed in plain Python and cached under the version and the query. Above NODE_LIMIT nodes the
drawing keeps the largest connected parts, and of the one it cuts a connected neighbourhood of
its most connected node, grown through the most connected nodes.
"""

import hashlib
import heapq
from array import array
from dataclasses import dataclass
from itertools import combinations

from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.listing import query_errors
from directory.facets import indexed_results
from directory.filters import OrganisationFilterSet
from directory.filters import ProjectFilterSet
from directory.models import Organisation
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.versions import DIRECTORY
from directory.versions import directory_cache
from explore.network_layout import layout

NODE_LIMIT = 3000  # nodes drawn at most; the figures always count them all
TOP_ORGANISATIONS = 20
COMPONENT_ROWS = 12  # rows of the table of connected parts by size
CACHE_SECONDS = 15 * 60
SIDES = {
    "organisations": (Organisation, OrganisationFilterSet),
    "projects": (Project, ProjectFilterSet),
}
SHOWS = {"both": _("Organisations and projects"), "organisations": _("Organisations only")}
# Parameters of the network itself, beside the lists' filters.
OWN_PARAMS = ("select", "show")


@dataclass
class NetworkQuery:
    """A request's network: which list selects (`side`), what is shown, the FilterSet, the valid
    query (pairs, for links and the cache key) and the errors of the invalid one."""

    side: str
    show: str
    filterset: object
    query: list[tuple[str, str]]
    errors: list[str]

    @property
    def filters(self) -> list[tuple[str, str]]:
        """The lists' own parameters (for a link to the list)."""
        return [(key, value) for key, value in self.query if key not in OWN_PARAMS]

    def key(self, part: str) -> str:
        digest = hashlib.sha1(urlencode(sorted(self.query)).encode(), usedforsecurity=False)
        return f"explore:network:{part}:{digest.hexdigest()}"


def network_query(params: QueryDict) -> NetworkQuery:
    """The network a query string asks for, validated as the lists validate theirs."""
    errors = []
    side = params.get("select") or "organisations"
    if side not in SIDES:
        errors.append(str(_("“select” must be “organisations” or “projects”.")))
        side = "organisations"
    show = params.get("show") or "both"
    if show not in SHOWS:
        errors.append(str(_("“show” must be “both” or “organisations”.")))
        show = "both"
    model, filterset_class = SIDES[side]
    filterset = filterset_class(params, queryset=model.objects.published())
    filterset.qs  # noqa: B018 - validates; the filters' errors on the form
    errors += query_errors(filterset)
    query = [(name, value) for name, value in (("select", side), ("show", show))]
    query += [
        (key, value)
        for key, values in params.lists()
        for value in values
        if key in filterset.filters
        and key not in filterset.errors
        and key not in ("sort", "page")
        and value != ""
    ]
    return NetworkQuery(side, show, filterset, query, errors)


_LINKS: dict = {}


def published_links(version) -> tuple[array, array]:
    """Every published link (organisation ids, project ids), one query per directory version
    and worker (None, when Redis is away: read again)."""
    held = _LINKS.get("links")
    if held is not None and version is not None and held[0] == version:
        return held[1]
    organisations, projects = array("q"), array("q")
    for organisation, project in ProjectOrganisation.objects.pairs().iterator(chunk_size=20_000):
        organisations.append(organisation)
        projects.append(project)
    _LINKS["links"] = (version, (organisations, projects))
    return organisations, projects


def selected_ids(network: NetworkQuery, *, version) -> set[int]:
    """The ids the list would show for the same query: from the facet index, or Postgres."""
    indexed = indexed_results(network.filterset, token=version, counts=False)
    if indexed is not None:
        return set(indexed.result)
    return set(network.filterset.filtered.values_list("pk", flat=True))


@dataclass
class Graph:
    """The selected network: its nodes of each kind and its links (organisation, project)."""

    organisations: set[int]
    projects: set[int]
    links: list[tuple[int, int]]


def network_graph(network: NetworkQuery, *, version) -> Graph:
    """The selected side and what the links bring in of the other."""
    chosen = selected_ids(network, version=version)
    organisation_ids, project_ids = published_links(version)
    if network.side == "organisations":
        links = [(o, p) for o, p in zip(organisation_ids, project_ids, strict=True) if o in chosen]
        return Graph(chosen, {p for _, p in links}, links)
    links = [(o, p) for o, p in zip(organisation_ids, project_ids, strict=True) if p in chosen]
    return Graph({o for o, _ in links}, chosen, links)


def partner_weights(links) -> dict[tuple[int, int], int]:
    """Organisations-only edges: (a, b) with a < b -> how many projects they share."""
    members: dict[int, list[int]] = {}
    for organisation, project in links:
        members.setdefault(project, []).append(organisation)
    weights: dict[tuple[int, int], int] = {}
    for organisations in members.values():
        for pair in combinations(sorted(organisations), 2):
            weights[pair] = weights.get(pair, 0) + 1
    return weights


# Nodes are numbered in one space: organisation pk -> 2 pk, project pk -> 2 pk + 1 (integers
# hash and compare faster than pairs, which counts at 200,000 nodes).
def node_key(node: int) -> str:
    """The node's id in the drawing and the downloads: "o12", "p7"."""
    return f"{'p' if node & 1 else 'o'}{node >> 1}"


def _components(links) -> dict[int, int]:
    """Union-find over the links: each linked node's part, named by its smallest node."""
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        root = node
        while (up := parent.get(root, root)) != root:
            root = up
        while node != root:
            parent[node], node = root, parent.get(node, node)
        return root

    for organisation, project in links:
        a, b = find(2 * organisation), find(2 * project + 1)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {node: find(node) for node in parent}


def figures(graph: Graph, *, show: str) -> dict:
    """The network's figures, as a brute force over the same graph would find them."""
    weights = partner_weights(graph.links)
    partners: dict[int, int] = {}
    for a, b in weights:
        partners[a] = partners.get(a, 0) + 1
        partners[b] = partners.get(b, 0) + 1
    projects_of: dict[int, int] = {}
    organisations_in: dict[int, int] = {}
    for organisation, project in graph.links:
        projects_of[organisation] = projects_of.get(organisation, 0) + 1
        organisations_in[project] = organisations_in.get(project, 0) + 1

    linked = _components(graph.links)
    nodes = [2 * pk for pk in graph.organisations]
    if show == "both":
        nodes += [2 * pk + 1 for pk in graph.projects]
    roots = {node: linked.get(node, node) for node in nodes}
    sizes: dict[int, int] = {}
    for root in roots.values():
        sizes[root] = sizes.get(root, 0) + 1
    by_size: dict[int, int] = {}
    for size in sizes.values():
        by_size[size] = by_size.get(size, 0) + 1
    organisations = len(graph.organisations)
    top = sorted(partners.items(), key=lambda item: (-item[1], -projects_of[item[0]], item[0]))
    return {
        "organisations": organisations,
        "projects": len(graph.projects),
        "links": len(graph.links),
        "partnerships": len(weights),
        "with_project": len(projects_of),
        "connected": len(partners),
        "connected_share": len(partners) / organisations if organisations else 0.0,
        "shared_projects": sum(1 for n in organisations_in.values() if n >= 2),
        "components": len(sizes),
        "largest": max(sizes.values(), default=0),
        "component_sizes": sorted(by_size.items(), reverse=True),
        "top": [(pk, degree, projects_of[pk]) for pk, degree in top[:TOP_ORGANISATIONS]],
        "degrees": partners,
        "roots": roots,
        "sizes": sizes,
        "weights": weights,
        "projects_of": projects_of,
        "organisations_in": organisations_in,
    }


def drawn(graph: Graph, found: dict, *, show: str) -> dict:
    """What the canvas draws: every node up to NODE_LIMIT (past it, the largest connected
    parts, and a linked neighbourhood of the part cut), with edges between them and their
    positions; names and slugs in two queries."""
    roots, sizes = found["roots"], found["sizes"]
    if show == "both":
        degree = {2 * pk: n for pk, n in found["projects_of"].items()}
        degree.update((2 * pk + 1, n) for pk, n in found["organisations_in"].items())
        pairs = [(2 * o, 2 * p + 1, 1) for o, p in graph.links]
    else:
        degree = {2 * pk: n for pk, n in found["degrees"].items()}
        pairs = [(2 * a, 2 * b, w) for (a, b), w in found["weights"].items()]
    ranked = _kept(roots, sizes, degree, pairs)
    kept = set(ranked)
    adjacency: dict = {}
    edges = []
    for a, b, weight in pairs:
        if a in kept and b in kept:
            edges.append((a, b, weight))
            adjacency.setdefault(a, []).append(b)
            adjacency.setdefault(b, []).append(a)
    positions = layout(sorted(kept), adjacency)
    names = {}
    for kind, model in ((0, Organisation), (1, Project)):
        ids = [node >> 1 for node in kept if node & 1 == kind]
        if ids:
            rows = model.objects.filter(pk__in=ids).order_by().values_list("pk", "name", "slug")
            names.update({2 * pk + kind: (name, slug) for pk, name, slug in rows})
    nodes = [
        [node_key(node), *names[node], *positions[node], degree.get(node, 0)]
        for node in ranked
        if node in names
    ]
    return {
        "nodes": nodes,
        "edges": [[node_key(a), node_key(b), w] for a, b, w in edges],
        "total": len(roots),
        "sampled": len(roots) > NODE_LIMIT,
    }


def _kept(roots: dict, sizes: dict, degree: dict, pairs: list) -> list:
    """The nodes drawn, at most NODE_LIMIT: whole connected parts, the largest first; the part
    that does not fit whole gives a connected neighbourhood of its most connected node, grown
    through the most connected nodes next to it (so what is drawn stays linked)."""
    members: dict = {}
    for node, root in roots.items():
        members.setdefault(root, []).append(node)
    order = sorted(members, key=lambda root: (-sizes[root], root))
    kept: list = []
    for root in order:
        part = members[root]
        if len(kept) + len(part) <= NODE_LIMIT:
            kept += sorted(part, key=lambda node: (-degree.get(node, 0), node))
            continue
        room = NODE_LIMIT - len(kept)
        if room <= 0:
            break
        adjacency: dict = {}
        for a, b, _weight in pairs:
            if roots.get(a) == root:
                adjacency.setdefault(a, []).append(b)
                adjacency.setdefault(b, []).append(a)
        start = min(part, key=lambda node: (-degree.get(node, 0), node))
        seen, frontier = {start}, [(-degree.get(start, 0), start)]
        while frontier and room:
            _, node = heapq.heappop(frontier)
            kept.append(node)
            room -= 1
            for other in adjacency.get(node, ()):
                if other not in seen:
                    seen.add(other)
                    heapq.heappush(frontier, (-degree.get(other, 0), other))
        break
    return kept


def network_summary(network: NetworkQuery) -> tuple[dict, dict]:
    """The figures (with the names of the most connected organisations) and the drawing of a
    valid network query, cached under the directory's version and the query."""
    keys = network.key("figures"), network.key("drawn")
    version, (summary, drawing) = DIRECTORY.cached_many(list(keys))
    if summary is not None and drawing is not None:
        return summary, drawing
    graph = network_graph(network, version=version)
    found = figures(graph, show=network.show)
    drawing = drawn(graph, found, show=network.show)
    top = found["top"]
    rows = Organisation.objects.filter(pk__in=[pk for pk, _, _ in top]).order_by()
    rows = rows.values_list("pk", "name", "slug")
    named = {pk: (name, slug) for pk, name, slug in rows}
    summary = {
        key: value
        for key, value in found.items()
        if key
        not in ("degrees", "roots", "sizes", "weights", "projects_of", "organisations_in", "top")
    }
    summary["top"] = [(*named[pk], degree, projects) for pk, degree, projects in top if pk in named]
    summary["drawn"] = len(drawing["nodes"])
    summary["total_nodes"] = drawing["total"]
    summary["sampled"] = drawing["sampled"]
    summary = directory_cache(keys[0], summary, version=version, timeout=CACHE_SECONDS)
    drawing = directory_cache(keys[1], drawing, version=version, timeout=CACHE_SECONDS)
    return summary, drawing
