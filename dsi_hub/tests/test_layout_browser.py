"""The layout in headless Chromium at a phone's width (390 px), the narrowest WCAG reflow width
(320 px) and a laptop's (1280 px), in English and German: no page scrolls sideways, the header's
menu folds behind a button that works with the keyboard, the lists put their results first on a
phone with the filters a button away, and a skip link leads past the filters to the results."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connections
from django.utils import timezone

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import PASSWORD
from accounts.tests.factories import UserFactory
from core.tests.browser import logged_in_page
from core.tests.browser import new_page
from directory.models import Membership
from directory.models import Role
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from events.tests.factories import event
from funding.tests.factories import opportunity
from stories.models import Resource
from stories.services import resource_reindex
from stories.tests.factories import story

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}
LAPTOP = {"width": 1280, "height": 800}
# German words are long: a practitioner's profile, event and opportunity named with some.
LONG_NAME = "Bürgerbeteiligungsplattform Datenschutzkonformität"
LIST_PAGES = ("organisations", "projects", "events", "funding", "stories", "stories/resources")


@pytest.fixture
def hub(browser, live_server):
    """Some of every kind of content, and an owner with profiles (and a member to manage)."""
    areas = list(SocialArea.objects.order_by("pk")[:3])
    owner = UserFactory(email="owner@example.org", name="Olga Eigentümerin", is_staff=True)
    owner.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    member = UserFactory(email="a.very.long.address.for.a.member@example.org", name="")
    organisations = []
    for number in range(12):
        organisation = OrganisationFactory(
            name=f"{LONG_NAME} {number}", owner=owner if number < 2 else None
        )
        organisations.append(organisation)
        ProjectFactory(name=f"Projekt {LONG_NAME} {number}", vocabularies__social_areas=areas)
    organisation = organisations[0]
    Membership.objects.create(user=member, organisation=organisation, role=Role.ADMIN)
    for number in range(3):
        event(f"Werkstatt {LONG_NAME} {number}", days=number + 1, areas=areas[:1])
        opportunity(f"Förderprogramm {LONG_NAME} {number}", areas=areas[:1])
        story(f"Geschichte {LONG_NAME} {number}")
        resource = Resource.objects.create(
            title=f"Werkzeugkasten {LONG_NAME} {number}", url=f"https://example.org/{number}"
        )
        resource_reindex(resource)
    yield {"owner": owner, "organisation": organisation}
    # Playwright runs the test in a greenlet whose ORM connection must close before teardown.
    connections.close_all()


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email (required)", exact=True).fill(email)
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/account/profile/$"))


def _overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it does not scroll sideways)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def test_no_page_scrolls_sideways_at_320_390_or_1280_px(hub, browser, live_server):
    members = hub["organisation"].get_absolute_url() + "members/"
    month = (timezone.localdate() + dt.timedelta(days=1)).strftime("%Y-%m")
    pages = [
        "",
        *(f"{path}/" for path in LIST_PAGES),
        f"events/calendar/?month={month}",
        "dashboard/",
        members.removeprefix("/en/"),
        "events/new/",
    ]
    page = new_page(browser, viewport=LAPTOP)
    _log_in(page, live_server, hub["owner"].email)
    too_wide = []
    for language in ("en", "de"):
        for path in pages:
            # Measured once the page's scripts (the rich-text editor, a module) have run.
            response = page.goto(f"{live_server.url}/{language}/{path}", wait_until="networkidle")
            assert response.status == 200, path
            for viewport in (NARROW, PHONE, LAPTOP):
                page.set_viewport_size(viewport)
                # With the filters (and every other disclosure) open, German labels and all.
                page.evaluate("document.querySelectorAll('details').forEach((d) => d.open = true)")
                if overflow := _overflow(page):
                    too_wide.append(f"/{language}/{path} at {viewport['width']} px: {overflow} px")
    assert too_wide == [], "\n".join(too_wide)


def test_the_calendar_and_tables_break_no_words_at_320_px(hub, browser, live_server):
    """No word is split across lines (overflow-wrap: anywhere) and nothing is cut off."""
    page = new_page(browser, viewport=NARROW)
    _log_in(page, live_server, hub["owner"].email)
    month = (timezone.localdate() + dt.timedelta(days=1)).strftime("%Y-%m")
    members = hub["organisation"].get_absolute_url().replace("/en/", "/de/") + "members/"
    for path, selector in (
        (f"/de/events/calendar/?month={month}", ".event-calendar a"),
        ("/de/dashboard/", ".dashboard-table tbody th, .dashboard-table tbody td"),
        (members, "table tbody td"),
    ):
        page.goto(live_server.url + path)
        # Each cell's content fits its box, and the box is inside the window.
        cut = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)].filter((el) => {
                 const box = el.getBoundingClientRect();
                 return el.scrollWidth > el.clientWidth + 1 || box.right > window.innerWidth
                   || getComputedStyle(el).overflowWrap === "anywhere"
                   || getComputedStyle(el).wordBreak === "break-all";
               }).map((el) => el.textContent.trim().slice(0, 40))""",
            selector,
        )
        assert cut == [], path
        assert page.locator(selector).count() > 0, path
    # Every day of the month with an event is shown whole: its number and its events.
    page.goto(f"{live_server.url}/en/events/calendar/?month={month}")
    for index in range(page.locator(".event-calendar a").count()):
        link = page.locator(".event-calendar a").nth(index)
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]


def test_the_menu_button_opens_and_closes_the_navigation_with_the_keyboard(browser, live_server):
    from playwright.sync_api import expect

    try:
        page = new_page(browser, viewport=PHONE)
        page.goto(f"{live_server.url}/en/")
        header = page.locator("header")
        button = page.get_by_role("button", name="Menu")
        navigation = page.get_by_role("navigation", name="Main")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(button).to_have_attribute("aria-controls", "site-menu")
        expect(navigation).to_be_hidden()
        # Folded, the header takes a line, not a third of the screen.
        assert header.bounding_box()["height"] < 100

        # Tab reaches the button (after the skip link and the brand); Enter opens the menu.
        for _press in range(5):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')"):
                break
        expect(button).to_be_focused()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(navigation.get_by_role("link", name="Projects")).to_be_visible()
        expect(page.get_by_role("link", name="Log in")).to_be_visible()
        # Into the menu, then Escape: closed, and the focus is back on the button.
        page.keyboard.press("Tab")
        expect(navigation.get_by_role("link", name="Organisations")).to_be_focused()
        page.keyboard.press("Escape")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(navigation).to_be_hidden()
        expect(button).to_be_focused()
        # Space opens it as well, and the button closes what it opened.
        page.keyboard.press("Space")
        expect(navigation).to_be_visible()
        page.keyboard.press("Enter")
        expect(navigation).to_be_hidden()

        # On a wide screen there is no button: the navigation is shown.
        page.set_viewport_size(LAPTOP)
        expect(button).to_be_hidden()
        expect(navigation.get_by_role("link", name="Projects")).to_be_visible()
        page.context.close()

        # Without JavaScript the navigation is simply shown, and no dead button.
        page = new_page(browser, viewport=PHONE, java_script_enabled=False)
        page.goto(f"{live_server.url}/en/")
        expect(page.get_by_role("button", name="Menu")).to_have_count(0)
        expect(
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects")
        ).to_be_visible()
        page.context.close()
    finally:
        connections.close_all()


def test_the_header_takes_two_rows_at_most_for_an_admin_in_german(hub, browser, live_server):
    page = new_page(browser, viewport=LAPTOP)
    _log_in(page, live_server, hub["owner"].email)
    page.goto(f"{live_server.url}/de/")
    rows = page.evaluate(
        """() => new Set([...document.querySelectorAll(
             "header .brand, header .main-nav a, header .header-search, header .account-nav li")]
             .map((el) => Math.round(el.getBoundingClientRect().top / 20))).size"""
    )
    assert rows <= 2
    assert page.locator("header").bounding_box()["height"] < 140


def test_a_list_on_a_phone_shows_results_first_and_filters_behind_a_button(
    hub, browser, live_server
):
    from playwright.sync_api import expect

    page = new_page(browser, viewport=PHONE)
    for path in LIST_PAGES:
        page.goto(f"{live_server.url}/de/{path}/")
        first = page.locator("#results .card").first
        assert first.bounding_box()["y"] < PHONE["height"], path
        toggle = page.locator(".filter-panel > summary")
        expect(toggle).to_be_visible()
        expect(page.locator(".filter-panel")).not_to_have_attribute("open", "")
        toggle.click()
        expect(page.locator(".filter-panel")).to_have_attribute("open", "")
        expect(page.locator(".filter-panel form, .filter-panel .facets").first).to_be_visible()

    # On a wide screen the filters are open, with no button to open them.
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/en/organisations/")
    expect(page.locator(".filter-panel > summary")).to_be_hidden()
    expect(page.get_by_role("complementary", name="Filter")).to_be_visible()
    page.context.close()

    # Without JavaScript: closed on a phone and opened by its summary; shown on a wide screen.
    page = new_page(browser, viewport=PHONE, java_script_enabled=False)
    page.goto(f"{live_server.url}/en/events/")
    assert page.locator("#results .card").first.bounding_box()["y"] < PHONE["height"]
    expect(page.get_by_label("Country")).to_be_hidden()
    page.get_by_text("Search and filters").click()
    expect(page.get_by_label("Country")).to_be_visible()
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/en/projects/")
    expect(
        page.get_by_role("complementary", name="Filter").get_by_role("link").first
    ).to_be_visible()
    page.goto(f"{live_server.url}/en/funding/")
    expect(page.get_by_label("Country")).to_be_visible()
    page.context.close()


def test_the_skip_link_moves_focus_to_the_results_past_the_filters(hub, browser, live_server):
    page = new_page(browser, viewport=LAPTOP)
    page.goto(f"{live_server.url}/en/organisations/")
    for press in range(1, 30):  # noqa: B007 (how many after the loop)
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Skip to the results":
            break
    else:
        raise AssertionError("no skip link to the results in the first 30 Tab stops")
    assert press < 20
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#results') !== null")
    assert page.evaluate("document.activeElement.closest('.filter-panel') === null")
    page.context.close()


def test_a_focused_filter_link_shows_its_whole_focus_ring(hub, browser, live_server):
    page = new_page(browser, viewport=LAPTOP)
    page.goto(f"{live_server.url}/en/organisations/")
    # The ring reaches 6 px out (a 3 px outline 2 px apart, a 6 px shadow): inside the list's box.
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.facet ul')].filter((list) => {
             const link = list.querySelector('a');
             link.focus();
             const ring = link.getBoundingClientRect(), box = list.getBoundingClientRect();
             return ring.left - 6 < box.left + list.clientLeft || ring.top - 6 < box.top
               || ring.right + 6 > box.left + list.clientLeft + list.clientWidth;
           }).length"""
    )
    assert clipped == 0
    page.context.close()


def test_the_editors_toolbar_fits_a_phone_without_its_icon_font(browser, live_server):
    """The toolbar's icons are an icon font's ligatures: while the font loads, or where it never
    does, each button would be as wide as its icon's name and the page would scroll sideways."""
    try:
        page = logged_in_page(browser, live_server, UserFactory(), viewport=PHONE)
        page.route("**/*.woff2", lambda route: route.abort())
        page.goto(f"{live_server.url}/en/events/new/")
        buttons = page.locator(".prose-menubar__button.material-icons:visible")
        assert buttons.count() > 5
        assert _overflow(page) == 0
        assert all(button.bounding_box()["width"] < 40 for button in buttons.all())
        page.context.close()
    finally:
        connections.close_all()
