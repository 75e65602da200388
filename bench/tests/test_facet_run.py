"""The API URLs of the facet run (bench.facet_run --api): the list URL's filters, search and
page under the API's names, in an order the API offers."""

import random
from urllib.parse import parse_qs
from urllib.parse import urlsplit

from bench.facet_run import API_ORDERINGS
from bench.facet_run import api_url


def test_a_list_url_becomes_the_api_url_with_the_same_filters():
    rng = random.Random(1)
    url = api_url("/en/projects/?q=open&country=spain&country=italy&sort=name&page=3", rng)
    parts = urlsplit(url)
    params = parse_qs(parts.query)
    assert parts.path == "/api/v1/projects/"
    assert params["search"] == ["open"] and params["country"] == ["spain", "italy"]
    assert params["page"] == ["3"] and "q" not in params and "sort" not in params
    assert params.get("ordering", [""])[0] in API_ORDERINGS


def test_relevance_stays_relevance():
    url = api_url("/en/organisations/?q=data&sort=relevance", random.Random(1))
    assert parse_qs(urlsplit(url).query)["ordering"] == ["relevance"]
