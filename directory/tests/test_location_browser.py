"""In headless Chromium: the location step's map (static/js/location-picker.js, directory.places)
places the pin, fills the latitude and longitude, follows them when they are typed, and a
typed city fills them; all under the site's Content-Security-Policy, from the hub's own static
files, and with nothing on the map to reach by keyboard."""

import re
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.models import Status
from core.tests.browser import axe_violations
from core.tests.browser import describe_violations
from core.tests.browser import logged_in_page
from directory.models import Country
from directory.models import Organisation
from directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser
DEGREES = re.compile(r"^-?\d+(\.\d+)?$")


def test_a_practitioner_places_an_organisation_on_the_map(browser, live_server):
    try:
        _click_drag_and_save(browser, live_server)
        _type_a_city(browser, live_server)
    finally:
        connections.close_all()  # the greenlet's own connection, so the database can be dropped


def _place_step(live_server, profile) -> str:
    path = reverse(
        "directory:organisation_edit_step", kwargs={"slug": profile.slug, "step": "place"}
    )
    return f"{live_server.url}{path}"


def _watched(page, live_server):
    hosts, problems = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return hosts, problems


def _click_drag_and_save(browser, live_server):
    from playwright.sync_api import expect

    owner = UserFactory(email="map-owner@example.org")
    profile = OrganisationFactory(
        owner=owner, status=Status.DRAFT, published_at=None, city="", country=None
    )
    page = logged_in_page(browser, live_server, owner)
    hosts, problems = _watched(page, live_server)
    page.goto(_place_step(live_server, profile))

    latitude, longitude = page.get_by_label("Latitude"), page.get_by_label("Longitude")
    expect(latitude).to_have_value("")
    area = page.locator("[data-location-map]")
    expect(area).to_have_attribute("aria-hidden", "true")
    expect(area.locator(".leaflet-map-pane")).to_have_count(1)
    # The countries' outlines are drawn (world-atlas, through topojson-client).
    expect(area.locator("svg path").first).to_be_attached()
    # Nothing on the map takes the keyboard's focus: the fields are the way there.
    expect(area.locator("a:not([tabindex='-1']), [tabindex]:not([tabindex='-1'])")).to_have_count(0)

    # Without coordinates the map shows Europe around (50, 10): a click in its middle fills
    # the fields with a place near there, and puts the pin.
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    area.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(latitude).to_have_value(DEGREES)
    expect(longitude).to_have_value(DEGREES)
    clicked = float(latitude.input_value()), float(longitude.input_value())
    assert abs(clicked[0] - 50) < 3 and abs(clicked[1] - 10) < 3, clicked
    pin = area.locator(".leaflet-marker-icon")
    expect(pin).to_have_count(1)

    # Dragging the pin moves the coordinates (east and south).
    spot = pin.bounding_box()
    x, y = spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y + 20, steps=5)
    page.mouse.move(x + 60, y + 40, steps=5)
    page.mouse.up()
    expect(longitude).not_to_have_value(str(clicked[1]))
    dragged = float(latitude.input_value()), float(longitude.input_value())
    assert dragged[0] < clicked[0] and dragged[1] > clicked[1], (clicked, dragged)

    # Typing degrees moves the pin there.
    before = pin.bounding_box()
    latitude.fill("41.3874")
    longitude.fill("2.1686")
    expect(pin).to_have_count(1)
    after = pin.bounding_box()
    assert (after["x"], after["y"]) != (before["x"], before["y"])

    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    page.get_by_role("button", name="Save draft and leave").click()
    page.wait_for_url(re.compile(r".*/(dashboard|preview)/.*"))
    profile.refresh_from_db()
    assert (profile.latitude, profile.longitude) == (41.3874, 2.1686)

    assert not problems, problems  # nothing refused by the policy, no script error
    assert hosts == {urlsplit(live_server.url).netloc}, hosts  # nothing from elsewhere
    page.context.close()


def _type_a_city(browser, live_server):
    from playwright.sync_api import expect

    owner = UserFactory(email="city-owner@example.org")
    profile = OrganisationFactory(
        owner=owner, status=Status.DRAFT, published_at=None, city="", country=None
    )
    page = logged_in_page(browser, live_server, owner)
    hosts, problems = _watched(page, live_server)
    page.goto(_place_step(live_server, profile))
    expect(page.locator("[data-location-map] .leaflet-map-pane")).to_have_count(1)

    page.get_by_label("Country").select_option(label="Spain")
    city = page.get_by_label("City")
    city.fill("Bilbao")
    city.press("Tab")  # the change is looked up
    latitude, longitude = page.get_by_label("Latitude"), page.get_by_label("Longitude")
    expect(latitude).to_have_value(re.compile(r"^43\.2"))
    expect(longitude).to_have_value(re.compile(r"^-2\.9"))
    expect(page.get_by_role("status")).to_contain_text("coordinates of the city were filled in")
    expect(page.locator("[data-location-map] .leaflet-marker-icon")).to_have_count(1)

    page.get_by_role("button", name="Save draft and leave").click()
    page.wait_for_url(re.compile(r".*/(dashboard|preview)/.*"))
    saved = Organisation.objects.get(pk=profile.pk)
    assert saved.country == Country.objects.get(code="ES") and saved.city == "Bilbao"
    assert abs(saved.latitude - 43.26) < 0.05 and abs(saved.longitude + 2.93) < 0.05
    assert not problems, problems
    assert hosts == {urlsplit(live_server.url).netloc}, hosts
    page.context.close()
