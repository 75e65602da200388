"""The whole site works under the Content-Security-Policy and the Permissions-Policy it sends
(dsi_hub/settings.py): in headless Chromium, every page of the accessibility sweep
(site_pages.py), as a visitor, a practitioner and an admin, with what is done on it, answers with
both policies and nothing on it is refused; and the parts that run the most script are used as
people use them: the admin's rich-text editor, its date pickers and related-object pop-up, and the
API's interactive docs (Swagger UI), which send a request and show its answer."""

import re

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from core.tests.browser import logged_in_page
from core.tests.browser import new_page
from dsi_hub.tests.site_pages import admin_pages
from dsi_hub.tests.site_pages import practitioner_pages
from dsi_hub.tests.site_pages import seed_hub
from dsi_hub.tests.site_pages import visitor_pages
from stories.models import Story

pytestmark = pytest.mark.browser


class Watcher:
    """What Chromium refuses on a page (it says so on the console: "Refused to ..."), errors of
    the page's scripts, and documents that came without both policies."""

    def __init__(self, page):
        self.problems = []
        self.where = ""
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"{self.where}: {error}"))
        page.on("response", self.response)

    def console(self, message):
        if message.type == "error" and (
            "Content Security Policy" in message.text or "Permissions policy" in message.text
        ):
            self.problems.append(f"{self.where}: {message.text}")

    def response(self, response):
        if response.request.resource_type != "document":
            return
        headers = response.headers
        for header in ("content-security-policy", "permissions-policy"):
            if header not in headers:
                self.problems.append(f"{self.where}: {response.url} came without {header}")


def test_every_page_works_under_the_policies(browser, live_server, monkeypatch):
    monkeypatch.setattr("directory.views.browse.PAGE_SIZE", 3)
    try:
        hub = seed_hub()
        problems, seen = [], 0
        for who, user, pages in (
            ("visitor", None, visitor_pages),
            ("practitioner", hub.practitioner, practitioner_pages),
            ("admin", hub.moderator, admin_pages),
        ):
            page = new_page(browser) if user is None else logged_in_page(browser, live_server, user)
            watcher = Watcher(page)
            for visit in pages(hub):
                watcher.where = f"[{who}] {visit}"
                seen += 1
                try:
                    page.goto(live_server.url + visit.path)
                    if visit.act:
                        visit.act(page)
                    page.wait_for_load_state("load")
                except PlaywrightError as error:
                    watcher.problems.append(f"{watcher.where}: {str(error).splitlines()[0]}")
            problems += watcher.problems
            page.context.close()
        refused = refused_inline_script(browser, live_server)
    finally:
        connections.close_all()  # the greenlet's own connection, so the database can be dropped
    assert seen > 100
    # The policy is enforced, and what it refuses is heard: an inline script is refused.
    assert refused and "script-src" in refused[0], refused
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)


def refused_inline_script(browser, live_server) -> list[str]:
    page = new_page(browser)
    watcher = Watcher(page)
    page.goto(live_server.url + "/en/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.append(s); }"
    )
    assert page.evaluate("window.ran") is None
    page.context.close()
    return watcher.problems


def test_the_admin_editor_date_pickers_and_pop_ups_work_under_the_policies(browser, live_server):
    from playwright.sync_api import expect

    try:
        hub = seed_hub()
        page = logged_in_page(browser, live_server, hub.moderator)
        watcher = Watcher(page)
        watcher.where = "story added in the admin"
        page.goto(live_server.url + reverse("admin:stories_story_add"))
        page.get_by_label("Title").first.fill("Repair cafés open in Ghent")
        page.get_by_label("Summary").first.fill("Five new places to mend things.")
        body = page.locator(".prose-editor [contenteditable=true]").first
        expect(body).to_be_visible()
        body.click()
        page.keyboard.type("Bring what is broken.")
        # The admin's date picker: a calendar of links drawn by its script.
        page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
        expect(page.locator(".calendarbox").first).to_be_visible()
        page.keyboard.press("Escape")
        # The pop-up to add a related item (a category) opens the admin in a window of its own.
        # Its first document arrives before the pop-up can be watched: the context sees it.
        popup_pages = []
        page.context.on(
            "response",
            lambda r: (
                "_popup=1" in r.url
                and r.request.resource_type == "document"
                and popup_pages.append(r.headers)
            ),
        )
        add_related = page.locator("a.related-widget-wrapper-link.add-related").first
        with page.expect_popup() as opened:
            add_related.click()
        popup = opened.value
        watcher_popup = Watcher(popup)
        watcher_popup.where = "pop-up"
        popup.wait_for_load_state("load")
        expect(popup.locator("#content-main form")).to_be_visible()
        popup.close()
        page.get_by_role("button", name=re.compile(r"^Save$")).click()
        page.wait_for_load_state("load")
        story = Story.objects.get(title="Repair cafés open in Ghent")
        assert "Bring what is broken." in story.body
        assert popup_pages, "the pop-up's page was not seen"
        for headers in popup_pages:  # it came with both policies
            assert "script-src 'self'" in headers["content-security-policy"]
            assert "camera=()" in headers["permissions-policy"]
        problems = watcher.problems + watcher_popup.problems
    finally:
        connections.close_all()
    assert problems == [], "\n".join(problems)


def test_the_api_docs_send_a_request_under_the_policies(browser, live_server, db):
    from playwright.sync_api import expect

    try:
        page = new_page(browser)
        watcher = Watcher(page)
        watcher.where = "API docs"
        page.goto(live_server.url + "/api/v1/docs/")
        operation = page.locator(".opblock-get").first
        expect(operation).to_be_visible()
        operation.locator(".opblock-summary-control").click()
        page.get_by_role("button", name="Try it out").first.click()
        page.get_by_role("button", name="Execute").first.click()
        answer = page.locator(".live-responses-table tbody .response-col_status").first
        expect(answer).to_have_text("200")
        problems = watcher.problems
    finally:
        connections.close_all()
    assert problems == [], "\n".join(problems)
