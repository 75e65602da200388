"""The network's pages: the page with its figures and tables, the drawing's JSON, and the
downloads of the whole filtered network (GraphML and JSON, streamed)."""

import json
import re
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

from django.http import JsonResponse
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from core.exports import pieces
from core.models import absolute_url
from directory.models import Organisation
from directory.models import Project
from directory.versions import directory_version
from explore.filter_fields import filter_selects
from explore.network import NODE_LIMIT
from explore.network import SHOWS
from explore.network import network_graph
from explore.network import network_query
from explore.network import network_summary
from explore.network import partner_weights

NAMES_CHUNK = 2000  # names read per query while a download streams
# Characters XML 1.0 does not allow (names are single-line text, but a download must parse).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
KINDS = {"o": "organisation", "p": "project"}


def _profile_urls() -> dict[str, str]:
    """The address of a profile page in the current language, with {slug} to fill in."""
    return {
        kind: reverse(f"directory:{name}_detail", kwargs={"slug": "SLUG"}).replace("SLUG", "{}")
        for kind, name in KINDS.items()
    }


def _links(network) -> dict:
    query = urlencode(network.query)
    filters = urlencode(network.filters)
    lists = {"organisations": "directory:organisation_list", "projects": "directory:project_list"}
    return {
        "graph": f"{reverse('explore:network_graph')}?{query}",
        "graphml": f"{reverse('explore:network_graphml')}?{query}",
        "json": f"{reverse('explore:network_json')}?{query}",
        "list": reverse(lists[network.side]) + (f"?{filters}" if filters else ""),
    }


@require_safe
def network_page(request):
    """The network with its figures beside it; the figures and tables are the page without
    JavaScript, the canvas is drawn by static/js/explore-network.js."""
    network = network_query(request.GET)
    context = {"network": network, "shows": SHOWS, "limit": NODE_LIMIT}
    if network.errors:
        return render(request, "explore/network.html", context, status=400)
    summary, _ = network_summary(network)
    urls = _profile_urls()["o"]
    context.update(
        summary=summary,
        top=[(name, urls.format(slug), degree, n) for name, slug, degree, n in summary["top"]],
        links=_links(network),
        # The filters the form shows as fields; the others (tags, networks) kept as they are.
        selects=filter_selects(request.GET, names=network.filterset.filters),
        city=request.GET.get("city", ""),
        hidden=[(k, v) for k, v in network.filters if k in ("tag", "network")],
        connected_percent=round(summary["connected_share"] * 100, 1),
    )
    return render(request, "explore/network.html", context)


def _bad(network) -> JsonResponse:
    return JsonResponse({"detail": network.errors}, status=400)


@require_safe
def network_graph_json(request):
    """What the canvas draws, compact (a few hundred kilobytes at NODE_LIMIT nodes): nodes as
    [id, name, slug, x, y, degree] ("o12" an organisation, "p7" a project), edges as [source,
    target, weight], and the profile addresses with {} for the slug."""
    network = network_query(request.GET)
    if network.errors:
        return _bad(network)
    _, drawing = network_summary(network)
    return JsonResponse(
        {
            "show": network.show,
            "urls": _profile_urls(),
            "nodes": drawing["nodes"],
            "edges": drawing["edges"],
            "total": drawing["total"],
            "drawn": len(drawing["nodes"]),
            "sampled": drawing["sampled"],
        }
    )


def _full(network):
    """The whole filtered network: node keys of what is shown, and its weighted edges."""
    graph = network_graph(network, version=directory_version())
    nodes = [("o", pk) for pk in sorted(graph.organisations)]
    if network.show == "both":
        nodes += [("p", pk) for pk in sorted(graph.projects)]
        edges = ((f"o{o}", f"p{p}", 1) for o, p in sorted(graph.links))
    else:
        weights = partner_weights(graph.links)
        edges = ((f"o{a}", f"o{b}", w) for (a, b), w in sorted(weights.items()))
    return nodes, edges


def _named(nodes):
    """(key, kind, name, absolute url) of each node, names read NAMES_CHUNK at a time."""
    urls = _profile_urls()
    models = {"o": Organisation, "p": Project}
    for start in range(0, len(nodes), NAMES_CHUNK):
        chunk = nodes[start : start + NAMES_CHUNK]
        found = {}
        for kind in {kind for kind, _ in chunk}:
            ids = [pk for each, pk in chunk if each == kind]
            rows = models[kind].objects.filter(pk__in=ids).order_by()
            rows = rows.values_list("pk", "name", "slug")
            found.update({(kind, pk): (name, slug) for pk, name, slug in rows})
        for node in chunk:
            if node in found:
                name, slug = found[node]
                url = absolute_url(urls[node[0]].format(slug))
                yield f"{node[0]}{node[1]}", KINDS[node[0]], name, url


def _graphml(nodes, edges):
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
        '<key id="kind" for="node" attr.name="kind" attr.type="string"/>\n'
        '<key id="name" for="node" attr.name="name" attr.type="string"/>\n'
        '<key id="url" for="node" attr.name="url" attr.type="string"/>\n'
        '<key id="weight" for="edge" attr.name="weight" attr.type="int"/>\n'
        '<graph id="dsi-hub-network" edgedefault="undirected">\n'
    )
    for key, kind, name, url in _named(nodes):
        name, url = escape(NOT_XML.sub("", name)), escape(NOT_XML.sub("", url))
        yield (
            f'<node id={quoteattr(key)}><data key="kind">{kind}</data>'
            f'<data key="name">{name}</data><data key="url">{url}</data></node>\n'
        )
    for source, target, weight in edges:
        yield (
            f'<edge source="{source}" target="{target}"><data key="weight">{weight}</data></edge>\n'
        )
    yield "</graph>\n</graphml>\n"


def _json(network, nodes, edges):
    yield json.dumps({"select": network.side, "show": network.show})[:-1] + ', "nodes": ['
    for number, (key, kind, name, url) in enumerate(_named(nodes)):
        node = {"id": key, "kind": kind, "name": name, "url": url}
        yield ("," if number else "") + json.dumps(node, ensure_ascii=False)
    yield '], "edges": ['
    for number, (source, target, weight) in enumerate(edges):
        edge = {"source": source, "target": target, "weight": weight}
        yield ("," if number else "") + json.dumps(edge)
    yield "]}\n"


def _download(request, file_format: str):
    network = network_query(request.GET)
    if network.errors:
        return _bad(network)
    nodes, edges = _full(network)
    if file_format == "graphml":
        body, content_type = _graphml(nodes, edges), "application/graphml+xml; charset=utf-8"
    else:
        body, content_type = _json(network, nodes, edges), "application/json; charset=utf-8"
    response = StreamingHttpResponse(pieces(body), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="dsi-network.{file_format}"'
    return response


@require_safe
def network_graphml(request):
    """The whole filtered network as GraphML (node attributes kind, name, url; edge weight)."""
    return _download(request, "graphml")


@require_safe
def network_json(request):
    """The whole filtered network as JSON: nodes (id, kind, name, url) and weighted edges."""
    return _download(request, "json")
