"""Embeds framed by a page of another site (another local port) load, the map's included,
while the same list's own page refuses to be framed there (headless Chromium)."""

import http.server
import threading

import pytest
from django.conf import settings

from core.tests.browser import new_page
from directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser


class _OtherSite(http.server.BaseHTTPRequestHandler):
    page = b""

    def do_GET(self):  # noqa: N802 - the standard library's name
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_site():
    """A site of someone else's, on another port, serving whatever page a test sets."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OtherSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_another_site_frames_an_embed_but_not_the_page_itself(browser, live_server, other_site):
    from playwright.sync_api import expect

    OrganisationFactory(name="Framed Lab", latitude=41.39, longitude=2.17)
    _OtherSite.page = (
        "<!doctype html><title>Elsewhere</title>"
        f'<iframe id="embed" src="{live_server.url}/embed/en/organisations/"></iframe>'
        f'<iframe id="page" src="{live_server.url}/en/organisations/"></iframe>'
        f'<iframe id="map" width="800" height="600" '
        f'src="{live_server.url}/embed/en/explore/map/?lat=41.39&lng=2.17&z=12"></iframe>'
    ).encode()
    page = new_page(browser)
    refused = []
    page.on("console", lambda message: "frame-ancestors" in message.text and refused.append(1))
    page.goto(f"http://127.0.0.1:{other_site.server_address[1]}/")

    embed = page.frame_locator("#embed")
    expect(embed.get_by_role("link", name="Framed Lab")).to_be_visible()
    expect(embed.get_by_text("1 result")).to_be_visible()
    # The list's own page is refused: nothing of it shows in the frame.
    expect(page.frame_locator("#page").get_by_role("heading", name="Organisations")).to_have_count(
        0
    )
    assert refused  # Chromium says why: the page's frame-ancestors 'none'
    # The map's embed draws its map and the profile on it.
    expect(page.frame_locator("#map").locator(".leaflet-container")).to_be_visible()
    expect(page.frame_locator("#map").locator(".map-point").first).to_be_visible()


def test_the_share_box_copies_the_embed_code(browser, live_server):
    from playwright.sync_api import expect

    OrganisationFactory(name="Shared Lab")
    page = new_page(browser)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/en/organisations/?q=shared")
    page.get_by_text("Share or embed").click()
    copy = page.get_by_role("button", name="Copy: Code to show it on your own site")
    copy.click()
    expect(copy).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (
        f'<iframe src="{settings.SITE_URL}/embed/en/organisations/?q=shared" title="Organisations" '
        'width="100%" height="600" loading="lazy"></iframe>'
    )
