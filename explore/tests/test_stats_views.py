"""The statistics pages (explore.stats_views): the overview and the country pages render
without JavaScript, each chart with its table and CSV, in a bounded number of queries; bad
query strings get a 4xx, never a 500; the header and the Explore navigation link them."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.facets.live import every_index_reset
from directory.models import Country
from directory.models import SocialArea
from directory.models import Technology
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from events.services import EVENTS
from events.tests.factories import event
from funding.services import FUNDING
from funding.tests.factories import opportunity

OVERVIEW = "/en/explore/"


@pytest.fixture
def hub(db):
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    health, science = SocialArea.objects.order_by("pk")[:2]
    open_data = Technology.objects.order_by("pk")[1]
    lab = OrganisationFactory(name="Open Data Lab", city="Málaga", start_date=dt.date(2010, 1, 1))
    OrganisationFactory(name="Commons Lab", city="Malaga", start_date=dt.date(2012, 6, 1))
    OrganisationFactory(name="Lyon Civic", country=france, city="Lyon", start_date=None)
    for number in range(3):
        ProjectFactory(
            name=f"Clinic map {number}",
            vocabularies__social_areas=[health],
            vocabularies__technologies=[open_data],
        )
    ProjectFactory(
        name="Science in Lyon",
        city="Lyon",
        vocabularies__social_areas=[science],
        vocabularies__countries=[france],
    )
    event("Málaga meetup", days=5, country=spain)
    event("Paris meetup", days=5, country=france)
    opportunity("Spanish fund", countries=[spain])
    opportunity("French fund", countries=[france])
    return {"spain": spain, "france": france, "health": health, "science": science, "lab": lab}


def _table(html: str, name: str) -> list[list[str]]:
    """The rows of a chart's data table as text (header row first)."""
    match = re.search(rf'<table class="chart-table"><caption id="table-{name}">.*?</table>', html)
    assert match, name
    rows = re.findall(r"<tr>(.*?)</tr>", match.group(0))
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in rows
    ]


def test_the_overview_draws_every_chart_with_its_table(client, hub):
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "growth",
        "country",
        "city",
        "area",
        "tech",
        "heatmap",
        "type",
        "founded",
        "joined",
    ):
        assert f'id="chart-{name}-title"' in html, name
        assert f'<caption id="table-{name}">' in html, name
        assert f"format=csv&amp;chart={name}" in html, name
    assert html.count('role="img"') == 9
    # No profile has a DSI focus or a size: said, not drawn.
    assert html.count("No data for these filters.") == 2
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "style=" not in html and "<style" not in html  # the CSP refuses them
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]  # no JS needed
    assert _table(html, "country")[1:] == [["Spain", "2", "3"], ["France", "1", "1"]]
    assert ["Málaga", "2", "0"] in _table(html, "city")  # one place, however spelt
    assert _table(html, "founded")[1:] == [
        ["2010", "1", "0"],
        ["2011", "0", "0"],
        ["2012", "1", "0"],
    ]
    growth = _table(html, "growth")
    assert growth[-1][1:] == ["3", "4"]  # every profile was listed this year
    assert '<a href="/en/explore/countries/es/">Spain</a>' in html
    assert f'href="/en/projects/?area={hub["health"].slug}">3</a>' in html


def test_the_overview_follows_the_lists_filters_and_kind(client, hub):
    html = client.get(OVERVIEW, {"kind": "projects", "country": "france"}).content.decode()
    assert _table(html, "country")[0] == ["Country", "Projects"]
    # Disjunctive, as the lists count: Spain still shows what it would add.
    assert _table(html, "country")[1:] == [["Spain", "3"], ["France", "1"]]
    assert _table(html, "area")[1:] == [[hub["science"].name, "1"]]
    assert 'id="chart-type-title"' not in html  # organisations only
    assert "France ×" in html.replace(
        '<span class="visually-hidden"> (remove this filter)</span>', ""
    )


def test_the_overview_from_postgres_without_the_index(client, hub, settings):
    indexed = client.get(OVERVIEW, {"country": "spain"}).content.decode()
    settings.FACET_INDEX_MAX_ROWS = 0
    every_index_reset()
    cache.clear()
    fallback = client.get(OVERVIEW, {"country": "spain"}).content.decode()
    for name in ("country", "city", "area", "tech", "heatmap", "founded", "joined", "growth"):
        assert _table(fallback, name) == _table(indexed, name), name


def test_the_country_page_from_postgres_without_the_index(client, hub, settings):
    indexed = client.get("/en/explore/countries/es/").content.decode()
    settings.FACET_INDEX_MAX_ROWS = 0
    every_index_reset()
    cache.clear()
    fallback = client.get("/en/explore/countries/es/").content.decode()
    for name in ("city", "area", "tech", "compare-area", "compare-tech", "joined"):
        assert _table(fallback, name) == _table(indexed, name), name
    newest = re.compile(r'<section class="explore-newest".*?</section>', re.S)
    assert newest.search(fallback).group(0) == newest.search(indexed).group(0)
    assert "Open Data Lab" in fallback


def test_each_chart_downloads_as_csv(client, hub):
    response = client.get(OVERVIEW, {"kind": "organisations", "format": "csv", "chart": "city"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dsi-hub-statistics-city.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["City", "Organisations"], ["Málaga", "2"], ["Lyon", "1"]]
    response = client.get("/en/explore/countries/ES/", {"format": "csv", "chart": "compare-area"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"] == 'attachment; filename="dsi-hub-es-compare-area.csv"'
    health = hub["health"].name
    # Spain: 3 of its 5 profiles in health (60 %); the directory: 3 of 7 (42.9 %).
    assert [health, "3", "60.0", "42.86"] in rows or [health, "3", "60.0", "42.9"] in rows


@pytest.mark.parametrize(
    "query, status",
    [
        ("kind=everything", 400),
        ("kind=projects&kind=organisations", 400),
        ("country=atlantis", 400),
        ("area=nope&format=csv&chart=area", 400),
        ("city=" + "x" * 101, 400),
        ("q=" + "x" * 300, 400),
        ("format=pdf", 400),
        ("format=csv", 400),
        ("format=csv&chart=nothing", 404),
        ("sort=nonsense", 400),  # the lists' own parameter: checked as they check it
        ("page=zzz&unknown=1", 200),  # not the statistics' parameters: left aside
    ],
)
def test_bad_query_strings_get_a_4xx(client, hub, query, status):
    response = client.get(f"{OVERVIEW}?{query}")
    assert response.status_code == status
    if status == 400 and "format" not in query:
        assert "Part of your request could not be used" in response.content.decode()


@pytest.mark.parametrize("code", ["zz", "esp", "e1", "XX"])
def test_an_unknown_country_is_a_404_page(client, hub, code):
    response = client.get(f"/en/explore/countries/{code}/")
    assert response.status_code == 404
    assert "<main" in response.content.decode()


def test_the_country_page(client, hub):
    response = client.get("/en/explore/countries/es/")
    assert response.status_code == 200
    assert client.get("/en/explore/countries/ES/").status_code == 200
    html = response.content.decode()
    assert "Spain in the directory" in html
    assert "Open Data Lab" in html and "Clinic map 2" in html  # newest profiles
    assert "Lyon Civic" not in html
    assert "Málaga meetup" in html and "Paris meetup" not in html
    assert "Spanish fund" in html and "French fund" not in html
    assert 'href="/en/organisations/?country=spain"' in html
    assert 'href="/en/events/?country=spain"' in html
    assert _table(html, "city")[1:] == [["Barcelona", "0", "3"], ["Málaga", "2", "0"]]
    assert html.count('role="img"') == 6
    assert "style=" not in html


def test_query_counts_are_pinned(client, hub, django_assert_num_queries):
    client.get(OVERVIEW)  # builds the indexes, reads the vocabularies and the years
    client.get("/en/explore/countries/es/")
    # Per kind, the index's look at its change log (tests poll on every request) and the
    # search's matching ids (the narrow search table).
    with django_assert_num_queries(4):
        assert client.get(OVERVIEW, {"country": "france", "q": "lab"}).status_code == 200
    with django_assert_num_queries(0):  # the same page again: from the cache
        client.get(OVERVIEW, {"country": "france", "q": "lab"})
    # Per kind: two looks (the country's figures, the newest) and the newest cards; then the
    # events and the funding. The whole directory's figures are cached since /es/.
    with django_assert_num_queries(8):
        assert client.get("/en/explore/countries/fr/").status_code == 200
    with django_assert_num_queries(2):  # cached body; the events and the funding
        assert client.get("/en/explore/countries/fr/").status_code == 200


def test_a_country_without_events_or_funding_asks_no_query_for_them(
    client, hub, django_assert_num_queries
):
    """Which countries have upcoming events and open funding is cached under their versions:
    a country with neither asks nothing for them, and shows them once a change adds some."""
    germany = Country.objects.get(code="DE")
    client.get("/en/explore/countries/de/")
    with django_assert_num_queries(0):  # cached body; no events or funding in Germany
        html = client.get("/en/explore/countries/de/").content.decode()
    assert "No upcoming events in this country" in html
    assert "No funding open only in this country" in html
    event("Berlin meetup", days=3, country=germany)
    opportunity("German fund", countries=[germany])
    EVENTS.bump()  # as events_changed and opportunities_changed do once the change commits
    FUNDING.bump()
    html = client.get("/en/explore/countries/de/").content.decode()
    assert "Berlin meetup" in html and "German fund" in html


def test_the_header_links_explore_and_marks_it_current(client, hub):
    home = client.get("/en/").content.decode()
    assert '<a href="/en/explore/">Explore</a>' in home
    page = client.get(OVERVIEW).content.decode()
    assert '<a href="/en/explore/" aria-current="page">Explore</a>' in page
    country = client.get("/en/explore/countries/es/").content.decode()
    assert '<a href="/en/explore/" aria-current="page">Explore</a>' in country
    nav = re.search(r'<nav class="explore-nav".*?</nav>', page, re.S).group(0)
    assert f'href="{reverse("explore:overview")}" aria-current="page">Statistics' in nav
    country_nav = re.search(r'<nav class="explore-nav".*?</nav>', country, re.S).group(0)
    assert 'aria-current="true">Statistics' in country_nav


def test_the_pages_in_another_language(client, hub):
    response = client.get("/de/explore/")
    assert response.status_code == 200
    assert '<html lang="de"' in response.content.decode()
    assert client.get("/de/explore/countries/es/").status_code == 200


def test_the_overview_keeps_a_bounded_number_of_query_strings(client, hub, monkeypatch):
    from core import page_cache

    monkeypatch.setattr(page_cache, "QUERY_VARIANTS_PER_PERIOD", 2)
    redis = cache._cache.get_client()
    for word in ("open", "lab", "data", "commons"):
        assert client.get(OVERVIEW, {"q": word}).status_code == 200
    assert len(redis.keys(cache.make_key("explore:overview:*"))) == 2
    assert client.get(OVERVIEW).status_code == 200  # the page without a query is always kept
    assert len(redis.keys(cache.make_key("explore:overview:*"))) == 3
