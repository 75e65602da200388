"""The map in headless Chromium: a cluster zooms in on click, a point opens a card that links
to the profile; a filter on the map, then "See as a list", gives the same filtered list; no
script or style is refused by the Content-Security-Policy. The first load stays within its
budget, with the 1:110m outlines only; the 1:50m ones come once zoomed in (or never: no harm)."""

import gzip
import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connections
from django.urls import reverse

from core.tests.browser import new_page
from directory.models import Organisation
from explore import clusters as clusters_module
from explore.choropleth import ATLAS
from explore.map_views import FINE_ATLAS
from explore.map_views import FINE_ATLAS_ZOOM
from explore.tests.map_data import spread

pytestmark = pytest.mark.browser


def test_explore_the_map_and_go_to_a_profile_and_a_list(browser, live_server, monkeypatch):
    monkeypatch.setattr(clusters_module, "POINTS_LIMIT", 20)  # clusters with few rows
    spread(count=40)
    try:
        _journey(browser, live_server)
    finally:
        connections.close_all()  # the greenlet's own connection, so the database can be dropped


def _journey(browser, live_server):
    from playwright.sync_api import expect

    page = new_page(browser, viewport={"width": 1280, "height": 900})
    refused = []
    page.on("console", lambda message: message.type == "error" and refused.append(message.text))
    map_url = f"{live_server.url}{reverse('explore:map')}"

    # Europe: clusters with their counts; one click zooms in on it
    page.goto(f"{map_url}?lat=46&lng=5&z=4")
    expect(page.locator("[data-explore-map]")).to_be_visible()
    expect(page.locator("[data-choropleth]")).to_be_hidden()
    cluster = page.locator(".map-cluster").first
    expect(cluster).to_be_visible()
    assert int(cluster.inner_text().replace(",", "")) > 0
    expect(page).to_have_url(re.compile(r"[?&]z=4(&|$)"))
    cluster.click()
    expect(page).not_to_have_url(re.compile(r"[?&]z=4(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]z=([5-9]|1\d)(&|$)"))

    # close to one organisation: its point, whose card links to its profile
    row = Organisation.objects.published().exclude(latitude=None).order_by("pk").first()
    page.goto(f"{map_url}?lat={row.latitude}&lng={row.longitude}&z=15&kinds=organisations")
    expect(page.locator("[data-map-kind][value=projects]")).not_to_be_checked()
    point = page.locator(".map-point-organisations").first
    expect(point).to_be_visible()
    point.click()
    link = page.locator(".map-card a")
    expect(link).to_have_text(row.name)
    link.click()
    expect(page).to_have_url(f"{live_server.url}{row.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(row.name)

    # a filter on the map, then the same filtered list
    page.goto(f"{map_url}?lat=46&lng=5&z=4")
    page.get_by_label("Country", exact=True).select_option("france")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"country=france"))
    expect(page.locator(".map-cluster, .map-point").first).to_be_visible()
    page.get_by_role("link", name="See as a list: organisations").click()
    expect(page).to_have_url(f"{live_server.url}/en/organisations/?country=france")
    france = Organisation.objects.published().filter(country__code="FR").count()
    expect(page.locator("#results-title")).to_have_text(f"{france} results")
    # and back to the map from the list, with the same filter
    page.get_by_role("link", name="See on the map").click()
    expect(page).to_have_url(re.compile(r"/en/explore/map/\?country=france"))
    expect(page.get_by_label("Country", exact=True)).to_have_value("france")
    assert not [text for text in refused if "Content Security Policy" in text], refused


def test_the_finer_outlines_load_only_when_zoomed_in(browser, live_server):
    spread(count=40)
    try:
        _outlines(browser, live_server)
        _outlines_missing(browser, live_server)
    finally:
        connections.close_all()


def _countries(path: str) -> int:
    with open(finders.find(path), "rb") as file:
        return len(json.load(file)["objects"]["countries"]["geometries"])


def _compressed(response) -> int:
    """What the response weighs gzipped (as WhiteNoise serves the static files; the test
    server sends them raw)."""
    path = urlsplit(response.url).path
    if path.startswith(settings.STATIC_URL):
        with open(finders.find(path.removeprefix(settings.STATIC_URL)), "rb") as file:
            return len(gzip.compress(file.read(), 9))
    return len(gzip.compress(response.body(), 9))


def _zoom(page, way: str, to: int) -> None:
    """One click on Leaflet's zoom button, and its end (a click while it zooms is ignored)."""
    from playwright.sync_api import expect

    page.locator(f".leaflet-control-zoom-{way}").click()
    expect(page).to_have_url(re.compile(rf"[?&]z={to}(&|$)"))


def _outlines(browser, live_server):
    from playwright.sync_api import expect

    page = new_page(browser, viewport={"width": 1280, "height": 900})
    requests, responses = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: responses.append(response))
    outlines = page.locator("[data-explore-map] .leaflet-overlay-pane path")
    coarse, fine = _countries(ATLAS), _countries(FINE_ATLAS)

    # first load, at the default zoom (4): the 110m outlines only
    page.goto(f"{live_server.url}{reverse('explore:map')}")
    expect(outlines).to_have_count(coarse)
    expect(page.locator(".map-cluster, .map-point").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert not [url for url in requests if url.endswith(".json") and "countries-50m" in url]
    assert any("countries-110m" in url for url in requests)
    assert {urlsplit(url).netloc for url in requests} == {urlsplit(live_server.url).netloc}
    # the page's scripts, styles and data, as served compressed: within the budget
    weight = sum(_compressed(response) for response in responses)
    assert weight < 200_000, weight

    # one step in, to the threshold: the 50m outlines are fetched once and drawn instead
    _zoom(page, "in", FINE_ATLAS_ZOOM)
    expect(outlines).to_have_count(fine)
    _zoom(page, "in", FINE_ATLAS_ZOOM + 1)
    # out again: the 110m ones; in again: the 50m ones, with nothing fetched again
    _zoom(page, "out", FINE_ATLAS_ZOOM)
    _zoom(page, "out", FINE_ATLAS_ZOOM - 1)
    expect(outlines).to_have_count(coarse)
    _zoom(page, "in", FINE_ATLAS_ZOOM)
    expect(outlines).to_have_count(fine)
    assert len([url for url in requests if "countries-50m" in url]) == 1
    assert len([url for url in requests if "countries-110m" in url]) == 1
    page.context.close()


def _outlines_missing(browser, live_server):
    """The 50m file does not come: the 110m outlines stay, and the page says nothing."""
    from playwright.sync_api import expect

    page = new_page(browser, viewport={"width": 1280, "height": 900})
    asked = []
    page.route("**/countries-50m*.json", lambda route: asked.append(1) or route.abort())
    page.goto(f"{live_server.url}{reverse('explore:map')}?lat=48.86&lng=2.35&z=7")
    outlines = page.locator("[data-explore-map] .leaflet-overlay-pane path")
    expect(outlines).to_have_count(_countries(ATLAS))
    expect(page.locator(".map-cluster, .map-point").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert asked == [1]
    expect(outlines).to_have_count(_countries(ATLAS))
    expect(page.locator("[data-map-status]")).to_have_text("")
    page.context.close()


def test_clusters_a_few_pixels_apart_are_drawn_as_one(browser, live_server, monkeypatch, client):
    """Two grid cells whose rows sit either side of the boundary between them: the server
    counts two clusters, the map draws one marker with both counts."""
    from directory.tests.factories import OrganisationFactory

    monkeypatch.setattr(clusters_module, "POINTS_LIMIT", 0)  # clusters, however few rows
    boundary = 132 / 2**8 * 360 - 180  # between cells 131 and 132 of the zoom-8 grid
    for number in range(6):
        side = -0.0005 if number % 2 else 0.0005
        OrganisationFactory(name=f"Edge {number}", latitude=48.0, longitude=boundary + side)
    answer = client.get(
        reverse("explore:map_clusters"),
        {"bbox": "3,46,8,50", "zoom": 6, "kinds": "organisations"},
    ).json()
    assert sorted(cluster["count"] for cluster in answer["clusters"]) == [3, 3]
    try:
        from playwright.sync_api import expect

        page = new_page(browser, viewport={"width": 1280, "height": 900})
        page.goto(
            f"{live_server.url}{reverse('explore:map')}?lat=48&lng={boundary}&z=6"
            "&kinds=organisations"
        )
        cluster = page.locator(".map-cluster")
        expect(cluster).to_have_count(1)
        expect(cluster).to_have_text("6")
        page.close()
    finally:
        connections.close_all()
