"""An organisation's neighbourhood on its page: the published organisations it shares published
projects with, and those projects, from one query (ProjectOrganisation.objects.partners_of),
as a list and as the data of a small graph (static/js/profile-network.js)."""

from dataclasses import dataclass
from dataclasses import field
from itertools import combinations

from django.urls import reverse

from directory.models import ProjectOrganisation
from directory.models.querysets import NEIGHBOURHOOD_LIMIT


@dataclass
class Partner:
    pk: int
    name: str
    url: str
    projects: list[tuple[str, str]] = field(default_factory=list)  # (name, url)


@dataclass
class Neighbourhood:
    partners: list[Partner]  # the most shared projects first, then by name
    total: int  # partners in all, shown or not
    graph: dict  # nodes and edges for the small graph


def _url(kind: str, slug: str) -> str:
    return reverse(f"directory:{kind}_detail", kwargs={"slug": slug})


def organisation_neighbourhood(organisation) -> Neighbourhood:
    """The partners of `organisation` through shared projects (at most NEIGHBOURHOOD_LIMIT, the
    most shared first), with the projects they share, and a graph of them: the organisation in
    the middle, an edge to each partner weighted by their shared projects, and edges between
    partners that share one of these projects too."""
    partners: dict[int, Partner] = {}
    members: dict[int, set[int]] = {}  # project -> partners in it
    for (
        pk,
        name,
        slug,
        project_pk,
        project_name,
        project_slug,
    ) in ProjectOrganisation.objects.partners_of(organisation.pk):
        partner = partners.get(pk)
        if partner is None:
            partner = partners[pk] = Partner(pk, name, _url("organisation", slug))
        partner.projects.append((project_name, _url("project", project_slug)))
        members.setdefault(project_pk, set()).add(pk)
    ranked = sorted(partners.values(), key=lambda p: -len(p.projects))[:NEIGHBOURHOOD_LIMIT]
    shown = {partner.pk for partner in ranked}
    nodes = [{"id": f"o{organisation.pk}", "name": organisation.name, "centre": True}]
    nodes += [{"id": f"o{p.pk}", "name": p.name, "url": p.url} for p in ranked]
    edges = [
        {"source": f"o{organisation.pk}", "target": f"o{p.pk}", "weight": len(p.projects)}
        for p in ranked
    ]
    between: dict[tuple[int, int], int] = {}
    for pks in members.values():
        for a, b in combinations(sorted(pks & shown), 2):
            between[a, b] = between.get((a, b), 0) + 1
    edges += [
        {"source": f"o{a}", "target": f"o{b}", "weight": weight}
        for (a, b), weight in sorted(between.items())
    ]
    return Neighbourhood(
        partners=ranked, total=len(partners), graph={"nodes": nodes, "edges": edges}
    )
