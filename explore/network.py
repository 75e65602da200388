"""The network of organisations and projects (/<lang>/explore/network/).

Which profiles: the filters and search of one list select one side, with the same query string
and the same FilterSet as that list (`select=organisations`, the default, or `select=projects`);
the ids come from the directory's facet index, or from Postgres while it has none. The other
side is brought in through the links: the published projects of the selected organisations, or
the published organisations of the selected projects; the nodes it brings are not filtered. Two
ways to show it (`show`): organisations and projects as two kinds of node, an edge where an
organisation runs or partners in a project (`both`), or organisations only, an edge between two
that share a project, weighted by how many (`organisations`).

Every published link is read in one query (ProjectOrganisation.objects.pairs()) under the links'
version (directory.versions.LINKS, which moves only when links or statuses change), kept in the
worker and shared with the others through Redis. The figures (union-find, degree counts) and the
drawing are computed in plain Python and cached without names (the shape) under the links'
version, the query and a digest of the selection, and with names under the directory's version
and the query: after an edit of a profile's text only the names are read again. Above
NODE_LIMIT nodes the drawing keeps the largest connected parts, and of the one it cuts a
connected neighbourhood of its most connected node, grown through the most connected nodes.
"""

import gc
import hashlib
import heapq
import threading
import time
from array import array
from collections import Counter
from collections.abc import Collection
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from itertools import combinations
from operator import itemgetter

from django.core.cache import cache
from django.db import connection
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
from directory.versions import LINKS
from directory.versions import directory_cache
from explore.filter_fields import given
from explore.network_layout import layout

NODE_LIMIT = 3000  # nodes drawn at most; the figures always count them all
TOP_ORGANISATIONS = 20
COMPONENT_ROWS = 12  # rows of the table of connected parts by size
CACHE_SECONDS = 15 * 60
# A worker that finds another making the same figures waits this long for them, looking this often.
SHAPE_WAIT_SECONDS = 10.0
SHAPE_POLL_SECONDS = 0.05
SIDES = {
    "organisations": (Organisation, OrganisationFilterSet),
    "projects": (Project, ProjectFilterSet),
}
SHOWS = {"both": _("Organisations and projects"), "organisations": _("Organisations only")}
# Parameters of the network itself, beside the lists' filters.
OWN_PARAMS = ("select", "show")
# What figures() returns to work with, beside the figures shown.
WORKINGS = (
    "degrees",
    "roots",
    "sizes",
    "weights",
    "projects_of",
    "organisations_in",
    "members",
    "projects_by",
)


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
    """The network a query string asks for, validated as the lists validate theirs (empty
    values, the form's "Any", left out)."""
    params = given(params)
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
    """Every published link (organisation ids, project ids) under the links' version
    (directory.versions.LINKS): kept in the worker, and shared with the other workers through
    Redis as two arrays of bytes, so that one query serves them all (None for the version when
    Redis is away: read again)."""
    held = _LINKS.get("links")
    if held is not None and version is not None and held[0] == version:
        return held[1]
    key = f"explore:network:links:{version}"
    shared = cache.get(key) if version is not None else None
    organisations, projects = array("q"), array("q")
    if shared is not None:
        organisations.frombytes(shared[0])
        projects.frombytes(shared[1])
    else:
        sql, params = ProjectOrganisation.objects.pairs().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(50_000):
                organisations.extend(map(itemgetter(0), rows))
                projects.extend(map(itemgetter(1), rows))
        if version is not None:
            shared = (organisations.tobytes(), projects.tobytes())
            cache.set(key, shared, timeout=CACHE_SECONDS)
    _LINKS["links"] = (version, (organisations, projects))
    return organisations, projects


def selected_ids(network: NetworkQuery, *, version):
    """The ids the list would show for the same query (from the facet index, as a bitmap, or
    from Postgres, as a set), and a digest of them."""
    indexed = indexed_results(network.filterset, token=version, counts=False)
    if indexed is not None:
        return indexed.result, _digest(array("q", indexed.result.to_array()))
    ids = set(network.filterset.filtered.values_list("pk", flat=True))
    return ids, _digest(array("q", sorted(ids)))


def _digest(ids: array) -> str:
    """Of the ids in order, as 64-bit integers, wherever they come from."""
    return hashlib.sha1(ids, usedforsecurity=False).hexdigest()


@dataclass
class Graph:
    """The selected network: its nodes of each kind and its links (organisation, project)."""

    organisations: Collection[int]
    projects: Collection[int]
    links: list[tuple[int, int]]


def network_graph(network: NetworkQuery, *, version, chosen=None, links_version=None) -> Graph:
    """The selected side (`chosen`, or as selected_ids finds it) and what the links of the
    links' version bring in of the other."""
    if chosen is None:
        chosen, _ = selected_ids(network, version=version)
    if links_version is None:
        links_version = LINKS.current()
    organisation_ids, project_ids = published_links(links_version)
    if network.side == "organisations":
        links = [(o, p) for o, p in zip(organisation_ids, project_ids, strict=True) if o in chosen]
        return Graph(chosen, {p for _, p in links}, links)
    links = [(o, p) for o, p in zip(organisation_ids, project_ids, strict=True) if p in chosen]
    return Graph({o for o, _ in links}, chosen, links)


def _members(links) -> dict[int, list[int]]:
    """Project -> its organisations."""
    members: dict[int, list[int]] = {}
    for organisation, project in links:
        members.setdefault(project, []).append(organisation)
    return members


def _both_ways(links) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Project -> its organisations, and organisation -> its projects (one pass)."""
    members: dict[int, list[int]] = {}
    projects_by: dict[int, list[int]] = {}
    for organisation, project in links:
        members.setdefault(project, []).append(organisation)
        projects_by.setdefault(organisation, []).append(project)
    return members, projects_by


def partner_weights(links, members: dict | None = None) -> Counter:
    """Organisations-only edges: (a, b) with a < b -> how many projects they share."""
    if members is None:
        members = _members(links)
    shared = (sorted(each) for each in members.values() if len(each) > 1)
    return Counter(chain.from_iterable(combinations(each, 2) for each in shared))


# Nodes are numbered in one space: organisation pk -> 2 pk, project pk -> 2 pk + 1 (integers
# hash and compare faster than pairs, which counts at 200,000 nodes).
def node_key(node: int) -> str:
    """The node's id in the drawing and the downloads: "o12", "p7"."""
    return f"{'p' if node & 1 else 'o'}{node >> 1}"


def _components(members: dict[int, list[int]]) -> dict[int, int]:
    """Union-find over the links, a project and its organisations at a time: each linked node
    that is not the first of its part -> its part, named by its smallest node (every root is
    the smallest node of its part, as each union keeps the smaller root)."""
    parent: dict[int, int] = {}
    up = parent.get
    for project, organisations in members.items():
        found = [2 * project + 1]  # a project comes once: its own root
        for organisation in organisations:
            node = root = 2 * organisation
            while (above := up(root, root)) != root:
                root = above
            while node != root:  # the path now leads straight to the root
                parent[node], node = root, up(node, node)
            found.append(root)
        low = min(found)
        for root in found:
            if root != low:
                parent[root] = low
    for node in list(parent):  # every node straight to its root
        root = node
        while (above := up(root, root)) != root:
            root = above
        parent[node] = root
    return parent


def figures(graph: Graph, *, show: str) -> dict:
    """The network's figures, as a brute force over the same graph would find them."""
    members, projects_by = _both_ways(graph.links)
    weights = partner_weights(graph.links, members)
    partners = Counter(chain.from_iterable(weights))
    projects_of = {organisation: len(each) for organisation, each in projects_by.items()}
    organisations_in = {project: len(each) for project, each in members.items()}

    linked = _components(members).get
    roots = {2 * pk: linked(2 * pk, 2 * pk) for pk in graph.organisations}
    if show == "both":
        roots.update((2 * pk + 1, linked(2 * pk + 1, 2 * pk + 1)) for pk in graph.projects)
    sizes = Counter(roots.values())
    by_size = Counter(sizes.values())
    organisations = len(graph.organisations)
    top = heapq.nsmallest(
        TOP_ORGANISATIONS,
        partners.items(),
        key=lambda item: (-item[1], -projects_of[item[0]], item[0]),
    )
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
        "top": [(pk, degree, projects_of[pk]) for pk, degree in top],
        "degrees": partners,
        "roots": roots,
        "sizes": sizes,
        "weights": weights,
        "projects_of": projects_of,
        "organisations_in": organisations_in,
        "members": members,
        "projects_by": projects_by,
    }


def drawn(graph: Graph, found: dict, *, show: str) -> dict:
    """What the canvas draws: every node up to NODE_LIMIT (past it, the largest connected
    parts, and a linked neighbourhood of the part cut) as [node, x, y, degree], with edges
    between them; no names yet (drawing_named)."""
    roots, sizes, weights = found["roots"], found["sizes"], found["weights"]
    members, projects_by = found["members"], found["projects_by"]
    if show == "both":
        degree = {2 * pk: n for pk, n in found["projects_of"].items()}
        degree.update((2 * pk + 1, n) for pk, n in found["organisations_in"].items())

        def neighbours(node: int) -> list[int]:
            if node & 1:
                return [2 * organisation for organisation in members[node >> 1]]
            return [2 * project + 1 for project in projects_by.get(node >> 1, ())]

        def weight(a: int, b: int) -> int:
            return 1
    else:
        degree = {2 * pk: n for pk, n in found["degrees"].items()}

        def neighbours(node: int) -> list[int]:
            pk = node >> 1
            partners = {o for project in projects_by.get(pk, ()) for o in members[project]}
            return [2 * other for other in sorted(partners) if other != pk]

        def weight(a: int, b: int) -> int:
            return weights[(a >> 1, b >> 1)]

    ranked = _kept(roots, sizes, degree, neighbours)
    kept = set(ranked)
    # Each edge once: from its organisation (both), or from the smaller of its two ends.
    edges = sorted(
        (node, other, weight(node, other))
        for node in kept
        if not node & 1
        for other in neighbours(node)
        if other in kept and (show == "both" or other > node)
    )
    adjacency: dict = {}
    for a, b, _weight in edges:
        adjacency.setdefault(a, []).append(b)
        adjacency.setdefault(b, []).append(a)
    positions = layout(sorted(kept), adjacency)
    return {
        "nodes": [[node, *positions[node], degree.get(node, 0)] for node in ranked],
        "edges": [[node_key(a), node_key(b), w] for a, b, w in edges],
        "total": len(roots),
        "sampled": len(roots) > NODE_LIMIT,
    }


def drawing_named(drawing: dict) -> dict:
    """The drawing with the names and slugs of its nodes ([id, name, slug, x, y, degree]), read
    in two queries: a node whose profile is gone is left out."""
    names = {}
    for kind, model in ((0, Organisation), (1, Project)):
        ids = [node >> 1 for node, *_ in drawing["nodes"] if node & 1 == kind]
        if ids:
            found = model.objects.names(ids)
            names.update({2 * pk + kind: named for pk, named in found.items()})
    nodes = [
        [node_key(node), *names[node], *rest] for node, *rest in drawing["nodes"] if node in names
    ]
    return {**drawing, "nodes": nodes}


def _kept(roots: dict, sizes: dict, degree: dict, neighbours) -> list:
    """The nodes drawn, at most NODE_LIMIT: whole connected parts, the largest first; the part
    that does not fit whole gives a connected neighbourhood of its most connected node, grown
    through the most connected nodes next to it (so what is drawn stays linked)."""
    wanted, cut, count = set(), None, 0
    for negative, root in sorted((-size, root) for root, size in sizes.items()):
        if count - negative > NODE_LIMIT:
            cut = root if count < NODE_LIMIT else None
            break
        wanted.add(root)
        count -= negative
    members: dict = {root: [] for root in wanted | {cut}}
    for node, root in roots.items():
        if root in members:
            members[root].append(node)
    kept: list = []
    for root in sorted(wanted, key=lambda root: (-sizes[root], root)):
        kept += sorted(members[root], key=lambda node: (-degree.get(node, 0), node))
    if cut is None:
        return kept
    room = NODE_LIMIT - len(kept)
    _, start = min((-degree.get(node, 0), node) for node in members[cut])
    seen, frontier = {start}, [(-degree.get(start, 0), start)]
    while frontier and room:
        _, node = heapq.heappop(frontier)
        kept.append(node)
        room -= 1
        for other in neighbours(node):
            if other not in seen:
                seen.add(other)
                heapq.heappush(frontier, (-degree.get(other, 0), other))
    return kept


_COLLECTOR = {"paused": 0, "was_enabled": True}
_COLLECTOR_LOCK = threading.Lock()


@contextmanager
def _collector_paused():
    """The cyclic garbage collector waits while the figures are computed: they make hundreds
    of thousands of small lists and tuples that hold no cycles (reference counting frees
    them), and its passes over them took a quarter of the time at 100,000 profiles. Counted,
    so that threads computing at once leave it as it was when the last one is done."""
    with _COLLECTOR_LOCK:
        if not _COLLECTOR["paused"]:
            _COLLECTOR["was_enabled"] = gc.isenabled()
            gc.disable()
        _COLLECTOR["paused"] += 1
    try:
        yield
    finally:
        with _COLLECTOR_LOCK:
            _COLLECTOR["paused"] -= 1
            if not _COLLECTOR["paused"] and _COLLECTOR["was_enabled"]:
                gc.enable()


def _shape(network: NetworkQuery, *, version, chosen, digest: str) -> dict:
    """The figures and drawing without names for the selection of `digest`: cached under the
    links' version, or made here. While another worker makes the same one (it added a key in
    Redis), this one waits for it, up to SHAPE_WAIT_SECONDS, instead of making it too."""
    key = network.key("shape")
    links_version, shape = LINKS.cached(key)
    if shape is not None and shape["selection"] == digest:
        return shape
    making = f"{key}:making:{links_version}:{digest}"
    mine = cache.add(making, 1, timeout=int(SHAPE_WAIT_SECONDS * 3) + 1)
    if not mine:
        deadline = time.monotonic() + SHAPE_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(SHAPE_POLL_SECONDS)
            now, shape = LINKS.cached(key)
            if shape is not None and shape["selection"] == digest:
                return shape
            if now != links_version:  # the links moved on: what it makes is stale
                break
    try:
        with _collector_paused():
            graph = network_graph(
                network, version=version, chosen=chosen, links_version=links_version
            )
            found = figures(graph, show=network.show)
            shape = {
                "selection": digest,
                "figures": {key: value for key, value in found.items() if key not in WORKINGS},
                "drawing": drawn(graph, found, show=network.show),
            }
            del graph, found  # freed before the collector runs again
        return LINKS.cache(key, shape, version=links_version, timeout=CACHE_SECONDS)
    finally:
        if mine:
            cache.delete(making)


def network_summary(network: NetworkQuery) -> tuple[dict, dict]:
    """The figures (with the names of the most connected organisations) and the drawing of a
    valid network query, cached under the directory's version and the query.

    What they are computed from, the selection and the published links, changes far less often
    than the directory's version (a profile's text edited moves it): the figures and drawing
    without names (the shape) are also cached under the links' version and the query, with a
    digest of the selection. When the directory's version has moved but neither the links'
    version nor the selection has, only the names are read again."""
    keys = network.key("figures"), network.key("drawn")
    version, (summary, drawing) = DIRECTORY.cached_many(list(keys))
    if summary is not None and drawing is not None:
        return summary, drawing
    chosen, digest = selected_ids(network, version=version)
    shape = _shape(network, version=version, chosen=chosen, digest=digest)
    found, drawing = shape["figures"], drawing_named(shape["drawing"])
    top = found["top"]
    named = Organisation.objects.names(pk for pk, _, _ in top)
    summary = {key: value for key, value in found.items() if key != "top"}
    summary["top"] = [(*named[pk], degree, projects) for pk, degree, projects in top if pk in named]
    summary["drawn"] = len(drawing["nodes"])
    summary["total_nodes"] = drawing["total"]
    summary["sampled"] = drawing["sampled"]
    summary = directory_cache(keys[0], summary, version=version, timeout=CACHE_SECONDS)
    drawing = directory_cache(keys[1], drawing, version=version, timeout=CACHE_SECONDS)
    return summary, drawing
