"""Every public and account page of the hub, and the hub's own admin pages, checked with axe-core
in headless Chromium by its default rules (WCAG 2.0, 2.1 and 2.2 A and AA, and its best
practices) at a laptop's width (1280 px) and a phone's (390 px), where no page may scroll
sideways either.

The pages are seen as people meet them (dsi_hub/tests/site_pages.py): with content, searched,
filtered and empty, with a notice, with a form sent back in error, in English and in German, as a
visitor, a practitioner and an admin. The URL patterns keep the sweep complete: a page the hub
adds fails test_every_page_is_swept_or_excluded_with_a_reason until it is swept here or excluded
below with its reason.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import get_resolver
from django.urls import resolve
from django.utils import translation
from django.utils.translation import get_language_from_path
from playwright.sync_api import Error as PlaywrightError

from core.tests.browser import axe_script
from core.tests.browser import axe_violations
from core.tests.browser import describe_violations
from core.tests.browser import logged_in_page
from core.tests.browser import new_page
from dsi_hub.tests.site_pages import admin_pages
from dsi_hub.tests.site_pages import practitioner_pages
from dsi_hub.tests.site_pages import seed_hub
from dsi_hub.tests.site_pages import visitor_pages

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# What is not a page for people to read in a browser, or not one of the hub's. Every other URL
# name must be among the swept pages.
NOT_PAGES = {
    "healthz": "plain text for the load balancer",
    "readyz": "JSON for the load balancer and monitors",
    "media": "uploaded files (images), not pages",
    "directory:own_request_withdraw": "POST only, from the dashboard: it answers with a redirect",
    "directory:organisation_lookup": "JSON for the project form's organisation picker",
    "directory:place_lookup": "JSON for the location step's map: a city's coordinates",
    "explore:map_clusters": "JSON for the explore map's script",
    "explore:network_graph": "JSON the network page draws",
    "explore:network_graphml": "a download: GraphML",
    "explore:network_json": "a download: JSON",
    "feeds:new": "an Atom feed",
    "events:event_feed": "an Atom feed",
    "funding:opportunity_feed": "an Atom feed",
    "stories:story_feed": "an Atom feed",
    "events:list_ics": "an iCalendar file",
    "events:event_ics": "an iCalendar file",
    # Sent to by a form on the preview; a GET is refused with a 405.
    "events:event_submit": "POST only: it answers with a redirect",
    "funding:opportunity_submit": "POST only: it answers with a redirect",
    # Every account has a password (sign-up asks for one): allauth sends them on to change it.
    "account_set_password": "a redirect to account_change_password, which is swept",
    # ACCOUNT_LOGIN_BY_CODE_ENABLED is off: with no code sent, allauth sends them to log in.
    "account_confirm_login_code": "a redirect to account_login, which is swept",
}
NOT_PAGES_NAMESPACES = {
    # The open-data API answers programs in JSON (a browser gets DRF's browsable API, a page of
    # the framework's); its docs page, api:docs, is the hub's and is swept.
    "api": "the API's JSON and OpenAPI schema",
    "data": "downloads: CSV, JSON and the Data Package",
    "discovery": "robots.txt and sitemaps",
}
# ...but for the pages among them.
PAGES_IN_THOSE_NAMESPACES = {"api:docs"}
# The admin is Django's: its own pages (lists, forms, history, django-reversion's recovery) are
# not checked, but every view of the hub's in it is, and so are the pages drawn with the hub's
# templates (the index, the change forms with the moderation buttons: see site_pages).
ADMIN_NOT_PAGES = {
    "approve": "POST only, from the change form and the preview: it answers with a redirect",
}
# The hub's own packages: the installed apps that live in this repository.
HUB_PACKAGES = {
    config.name.split(".")[0]
    for config in apps.get_app_configs()
    if Path(config.path).parent == Path(settings.BASE_DIR)
}


def url_names(patterns=None, namespace=""):
    """Each named URL pattern, as (its name with namespaces, the view's module)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = ":".join(filter(None, [namespace, pattern.name]))
            yield name, getattr(pattern.callback, "__module__", "")


def view_name(path: str) -> str:
    """The URL name of a page's address, in whatever language it is."""
    path = urlsplit(path).path
    with translation.override(get_language_from_path(path)):
        return resolve(path).view_name


def unswept(swept: set[str]) -> list[str]:
    """The URL names of pages that are neither swept nor excluded with a reason."""
    missing = []
    for name, module in url_names():
        namespace, _, short = name.rpartition(":")
        if name in swept or name in NOT_PAGES:
            continue
        if namespace in NOT_PAGES_NAMESPACES and name not in PAGES_IN_THOSE_NAMESPACES:
            continue
        if namespace == "admin":
            hubs = module.split(".")[0] in HUB_PACKAGES
            if not hubs or any(short.endswith(f"_{page}") for page in ADMIN_NOT_PAGES):
                continue
        missing.append(f"{name} ({module})")
    return sorted(set(missing))


def sweep(page, live_server, visits) -> list[str]:
    """Each page at 1280 px, then at 390 px with its disclosures open: what axe finds, and how
    far the page scrolls sideways; a line per problem."""
    problems = []
    for visit in visits:
        page.set_viewport_size(LAPTOP)
        response = page.goto(live_server.url + visit.path)
        if response.status != visit.status:
            problems.append(f"{visit}: answered {response.status}, not {visit.status}")
        try:
            if visit.act:
                visit.act(page)
            # Text in a font still loading is not drawn, and axe cannot measure its contrast.
            page.evaluate("document.fonts.ready.then(() => null)")
            problems += checked(page, visit, f"{visit} at 1280 px")
            page.set_viewport_size(PHONE)
            page.evaluate(OPEN_DISCLOSURES)
            if visit.on_phone:
                visit.on_phone(page)
            problems += checked(page, visit, f"{visit} at 390 px")
        except PlaywrightError as error:  # the other pages are still checked
            problems.append(f"{visit}: could not be checked: {str(error).splitlines()[0]}")
    return problems


OPEN_DISCLOSURES = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def checked(page, visit, where: str) -> list[str]:
    """What axe finds on the page as it stands, and how far it scrolls sideways."""
    found = describe_violations(axe_violations(page, context=visit.scope))
    problems = [f"{where}: {line}" for line in found.splitlines()]
    if overflow := page.evaluate(OVERFLOW):
        problems.append(f"{where}: scrolls {overflow} px sideways")
    return problems


@pytest.mark.browser
def test_every_page_passes_axe_at_1280_and_390_px(browser, live_server, monkeypatch):
    """One hub for the three kinds of people, each in a browser context of their own."""
    # Three organisations a page, so that the lists' pages are seen with their links.
    monkeypatch.setattr("directory.views.browse.PAGE_SIZE", 3)
    try:
        hub = seed_hub()
        problems = []
        for who, user, pages in (
            ("visitor", None, visitor_pages),
            ("practitioner", hub.practitioner, practitioner_pages),
            ("admin", hub.moderator, admin_pages),
        ):
            if user is None:
                page = new_page(browser, viewport=LAPTOP)
            else:
                page = logged_in_page(browser, live_server, user, viewport=LAPTOP)
            # axe-core in every page the context opens, rather than sent to each in turn.
            page.context.add_init_script(script=axe_script())
            problems += [f"[{who}] {line}" for line in sweep(page, live_server, pages(hub))]
            page.context.close()
    finally:
        connections.close_all()  # the greenlet's own connection, so the database can be dropped
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)


def test_every_page_is_swept_or_excluded_with_a_reason(db):
    hub = seed_hub()
    visits = [*visitor_pages(hub), *practitioner_pages(hub), *admin_pages(hub)]
    # (The 404 page is Django's handler404, under no URL name.)
    swept = {view_name(visit.path) for visit in visits if visit.status != 404}
    assert unswept(swept) == [], (
        "pages neither swept by test_every_page_passes_axe_at_1280_and_390_px nor excluded with "
        "a reason in NOT_PAGES"
    )
    # The exclusions name pages that exist.
    names = {name for name, _module in url_names()}
    assert set(NOT_PAGES) <= names
