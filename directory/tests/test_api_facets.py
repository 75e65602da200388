"""The API's profile lists from the facet index (directory.api.views, directory.facets): on
random filters, searches, orders and pages, the same answers as the Postgres path (the index
refused) and as a brute-force count over the rows."""

import random

import pytest
from django.core.cache import cache

from core.facets.live import every_index_reset
from directory.api.filters import ORDERING_CHOICES
from directory.facets import FACET_INDEXES
from directory.models import Organisation
from directory.models import Project
from directory.tests import test_search
from directory.tests.test_search import ORGANISATION_FILTERS
from directory.tests.test_search import PROJECT_FILTERS
from directory.tests.test_search import as_querydict
from directory.tests.test_search import expected_ids
from directory.tests.test_search import expected_values
from directory.tests.test_search import random_query

seeded = test_search.seeded  # the random directory, as a fixture of this module too
API = "/api/v1/"
ORDERINGS = [value for value, _ in ORDERING_CHOICES]
WORDS = ["org", "project", "1", "org 2", "zzz", "--"]


def _random_request(rng, seeded, names) -> tuple[dict, dict]:
    """A query (filters, sometimes a search, an order, a page) and the filters alone."""
    query = random_query(rng, seeded, names)
    params = as_querydict(query)
    if rng.random() < 0.3:
        params["search"] = rng.choice(WORDS)
    ordering = rng.choice(["name", "name", *ORDERINGS])
    if ordering != "name" or "search" in params or rng.random() < 0.5:
        params["ordering"] = ordering  # else the default: by name without a search
    if _by_relevance(params):
        params["page_size"] = "100"  # relevance orders differ between the paths: every row
    else:
        params["page_size"] = str(rng.choice([3, 7, 100]))
        params["page"] = str(rng.choice([1, 1, 2, 3]))
    return params, query


def _by_relevance(params) -> bool:
    return params.get("ordering") == "relevance" and "search" in params


def _answer(client, kind: str, params) -> tuple[int, dict]:
    cache.clear()  # the answer, and the Postgres path's counts and ids, asked afresh
    response = client.get(f"{API}{kind}/", params)
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("model", "kind", "names"),
    [
        (Organisation, "organisations", ORGANISATION_FILTERS),
        (Project, "projects", PROJECT_FILTERS),
    ],
)
def test_the_api_on_the_index_answers_as_postgres_and_a_brute_force_count(
    client, seeded, settings, model, kind, names
):
    rng = random.Random(f"{kind}-api-index")
    undated = list(model.objects.published().values_list("pk", flat=True)[::4])
    model.objects.filter(pk__in=undated).update(published_at=None)  # last by "published" too
    values = expected_values(model)
    slugs = dict(model.objects.values_list("pk", "slug"))
    requests = [_random_request(rng, seeded, names) for _ in range(60)]
    indexed = [_answer(client, kind, params) for params, _ in requests]
    index = FACET_INDEXES[model._meta.model_name]
    assert index.state is not None  # those answers came from the index
    settings.FACET_INDEX_MAX_ROWS = 0  # the index refuses to build: the Postgres path
    every_index_reset()
    found = 0
    for (params, query), (status, answer) in zip(requests, indexed, strict=True):
        expected_status, expected = _answer(client, kind, params)
        assert status == expected_status, params
        if status != 200:  # a page past the last: the same 404 and message
            assert answer == expected, params
            continue
        if _by_relevance(params):
            assert answer["count"] == expected["count"], params
            assert (answer["next"], answer["previous"]) == (expected["next"], None), params
            got = {row["slug"] for row in answer["results"]}
            assert got == {row["slug"] for row in expected["results"]}, params
        else:
            assert answer == expected, params  # the same rows, in the same order, and links
        if "search" not in params:
            assert answer["count"] == len(expected_ids(model, values, query)), params
            everything = {slugs[pk] for pk in expected_ids(model, values, query)}
            assert {row["slug"] for row in answer["results"]} <= everything, params
        found += bool(answer["results"]) and bool(query)
    assert index.state is None  # these from Postgres
    assert found >= 5  # filtered queries that find something, not only empty pages


def test_a_bad_page_or_parameter_is_refused_alike_on_the_index(client, seeded):
    assert client.get(f"{API}projects/", {"page": 1}).status_code == 200  # the index is built
    response = client.get(f"{API}projects/", {"page": 99})
    assert response.status_code == 404 and "page(s)" in response.json()["detail"]
    for params in ({"page": "0"}, {"page_size": "x"}, {"ordering": "age"}, {"country": "nowhere"}):
        assert client.get(f"{API}projects/", params).status_code == 400, params
