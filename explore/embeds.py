"""The embeddable versions of the directory's lists and profile cards (core.embeds): the first
results of any filtered list, or one profile's card, to frame on another site, each linking
back to the hub."""

from dataclasses import replace

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from core.embeds import embeddable
from core.listing import query_errors
from core.listing import valid_query
from core.models import absolute_url
from core.page_cache import cache_for_visitors
from directory.cards import profile_cards
from directory.facets import indexed_results
from directory.facets import result_page_ids
from directory.facets import results_key
from directory.filters import RESULT_PARAMS
from directory.filters import OrganisationFilterSet
from directory.filters import ProjectFilterSet
from directory.models import Organisation
from directory.models import Project
from directory.versions import directory_cache
from directory.versions import directory_cached
from directory.versions import directory_version

# How many results a list's embed shows (then a link to the rest on the hub).
EMBED_SIZE = 10
LISTS = {
    "organisations": (Organisation, OrganisationFilterSet),
    "projects": (Project, ProjectFilterSet),
}
for_visitors = cache_for_visitors(
    directory_cached, directory_cache, params={*RESULT_PARAMS, "sort"}
)


@require_safe
@embeddable
@for_visitors
def list_embed(request, kind: str):
    model, filterset_class = LISTS[kind]
    filterset = filterset_class(request.GET, queryset=model.objects.published())
    results = filterset.qs
    query = valid_query(request, filterset, {*RESULT_PARAMS, "sort"})
    indexed = indexed_results(filterset, token=directory_version(), counts=False)
    total = indexed.total if indexed is not None else results.count()
    key = results_key(
        model_name=model._meta.model_name,
        params=[(name, value) for name, value in query if name in RESULT_PARAMS],
    )
    ids = result_page_ids(
        indexed, results, key=key, sort=filterset.sort_value(), start=0, size=EMBED_SIZE
    )
    list_url = reverse(f"directory:{model._meta.model_name}_list")
    context = {
        "heading": model._meta.verbose_name_plural.capitalize(),
        "total": total,
        "cards": [_absolute(card) for card in profile_cards(model, ids)],
        "query_errors": query_errors(filterset),
        "list_url": absolute_url(f"{list_url}?{urlencode(query)}" if query else list_url),
    }
    status = 400 if context["query_errors"] else 200
    return TemplateResponse(request, "embed/list.html", context, status=status)


@require_safe
@embeddable
@for_visitors
def card_embed(request, kind: str, slug: str):
    model = LISTS[kind][0]
    pk = model.objects.published().filter(slug=slug).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404
    (card,) = profile_cards(model, [pk])
    return TemplateResponse(request, "embed/card.html", {"cards": [_absolute(card)]})


def _absolute(card):
    """Links in a frame lead to the hub itself."""
    return replace(card, url=absolute_url(card.url))
