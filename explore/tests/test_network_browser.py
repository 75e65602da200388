"""The network in headless Chromium: the canvas drawn with every node, a node selected opens a
profile, the list of the most connected organisations does too, and the profile's neighbourhood
is drawn; nothing refused by the Content-Security-Policy on the way."""

import re

import pytest
from django.db import connections

from core.tests.browser import new_page
from directory.models import ProjectOrganisation
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

pytestmark = pytest.mark.browser


def test_the_network_is_drawn_and_leads_to_profiles(browser, live_server):
    try:
        _journey(browser, live_server)
    finally:
        connections.close_all()


def _journey(browser, live_server):
    from playwright.sync_api import expect

    waag, nesta, lab = (OrganisationFactory(name=name) for name in ("Waag", "Nesta", "Solo Lab"))
    OrganisationFactory(name="Quiet Collective")  # no project: a node of its own
    shared, other = ProjectFactory(name="Commons Kit"), ProjectFactory(name="Open Tools")
    for organisation, project in ((waag, shared), (nesta, shared), (waag, other), (lab, other)):
        ProjectOrganisation.objects.create(organisation=organisation, project=project)

    # tall enough for the canvas to be in view without scrolling (a click lands where it aims)
    page = new_page(browser, viewport={"width": 1280, "height": 1600})
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused" in message.text
            else None
        ),
    )
    page.goto(f"{live_server.url}/en/explore/network/")
    canvas = page.locator("[data-network-canvas]")
    expect(canvas).to_have_attribute("data-drawn", "6")  # four organisations, two projects
    expect(canvas.locator("canvas").first).to_be_visible()

    # One organisation alone in the drawing: it sits in the middle; selecting it shows its card.
    page.get_by_label("Search the chosen list").fill("quiet")
    page.get_by_role("button", name="Show the network").click()
    expect(canvas).to_have_attribute("data-drawn", "1")
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    card = page.locator("[data-network-card]")
    expect(card).to_contain_text("Quiet Collective")
    card.get_by_role("link", name="Open its page").click()
    page.wait_for_url(re.compile(r"/en/organisations/quiet-collective/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Quiet Collective")

    # The most connected organisations, as a list: Waag first, to its page and neighbourhood.
    page.goto(f"{live_server.url}/en/explore/network/?show=organisations")
    expect(canvas).to_have_attribute("data-drawn", "4")
    page.locator("[data-network-top]").get_by_role("link", name="Waag").click()
    page.wait_for_url(re.compile(r"/en/organisations/waag/$"))
    partners = page.locator(".partner-list")
    expect(partners).to_contain_text("Nesta")
    expect(partners).to_contain_text("Solo Lab")
    expect(page.locator("[data-profile-network]")).to_have_attribute("data-drawn", "3")
    partners.get_by_role("link", name="Nesta").click()
    page.wait_for_url(re.compile(r"/en/organisations/nesta/$"))
    assert refused == []


def test_a_phone_sees_the_figures_and_the_canvas(browser, live_server):
    try:
        from playwright.sync_api import expect

        a, b = OrganisationFactory(name="Alpha"), OrganisationFactory(name="Beta")
        project = ProjectFactory(name="Shared")
        for organisation in (a, b):
            ProjectOrganisation.objects.create(organisation=organisation, project=project)
        page = new_page(browser, viewport={"width": 390, "height": 844})
        page.goto(f"{live_server.url}/en/explore/network/")
        expect(page.locator("[data-network-canvas]")).to_have_attribute("data-drawn", "3")
        expect(page.locator('[data-figure="components"]')).to_have_text("1")
        width = page.locator("body").bounding_box()["width"]
        assert page.locator("[data-network-canvas]").bounding_box()["width"] <= width
    finally:
        connections.close_all()
