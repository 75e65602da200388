"""The map in headless Chromium: a cluster zooms in on click, a point opens a card that links
to the profile; a filter on the map, then "See as a list", gives the same filtered list; no
script or style is refused by the Content-Security-Policy."""

import re

import pytest
from django.db import connections
from django.urls import reverse

from core.tests.browser import new_page
from directory.models import Organisation
from explore import clusters as clusters_module
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
