"""In headless Chromium: an editorial admin writes a story with the admin's rich-text editor,
which loads nothing from outside the hub, and the story's page shows the formatting."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.db import connections

from accounts.roles import EDITORIAL_ADMINS
from accounts.tests.factories import PASSWORD
from accounts.tests.factories import UserFactory
from core.tests.browser import new_page
from core.tests.browser import select_to_line_start
from stories.models import EditorialStatus
from stories.models import Story

pytestmark = pytest.mark.browser


def test_an_editor_formats_a_story_in_the_rich_text_editor(browser, live_server):
    try:
        _write_a_story(browser, live_server)
    finally:
        connections.close_all()  # the greenlet's own connection, so the database can be dropped


def _write_a_story(browser, live_server):
    from playwright.sync_api import expect

    editor = UserFactory(is_staff=True, email="editor@example.org")
    editor.groups.add(Group.objects.get(name=EDITORIAL_ADMINS))
    page = new_page(browser)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email (required)", exact=True).fill(editor.email)
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/account/profile/$"))

    page.goto(f"{live_server.url}/en/admin/stories/story/add/")
    page.get_by_label("Title:").fill("What a year of open sensors taught us")
    # The editable area is named by the field's label.
    text = page.get_by_role("textbox", name="Text:")
    expect(text).to_have_attribute("contenteditable", "true")
    text.click()
    # A heading from the block-type menu, then a paragraph with bold text and a link.
    page.locator(".prose-menubar__selected").click()
    page.locator('.prose-menubar__option[data-name="heading2"]').click()
    page.keyboard.type("Lessons")
    page.keyboard.press("Enter")
    page.keyboard.type("We learned that ")
    page.keyboard.press("Control+b")
    page.keyboard.type("open data")
    page.keyboard.press("Control+b")
    page.keyboard.type(" matters.")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="unordered list").click()
    page.keyboard.type("Sensors")
    page.keyboard.press("Enter")
    page.keyboard.type("Maps")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # out of the list
    # Last, a link made of the words just typed.
    page.keyboard.type("Read the report")
    select_to_line_start(page, page.get_by_role("button", name="link"))
    page.get_by_role("button", name="link").click()
    page.get_by_label("URL").fill("https://example.org/report")
    page.get_by_role("button", name="Update").click()
    expect(text.get_by_role("link", name="Read the report")).to_have_attribute(
        "href", "https://example.org/report"
    )
    page.get_by_label("Status:").select_option(EditorialStatus.PUBLISHED)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    story = Story.objects.get(title="What a year of open sensors taught us")
    assert "<h2>Lessons</h2>" in story.body
    assert "<strong>open data</strong>" in story.body
    assert re.search(r'<a href="https://example.org/report"[^>]*>Read the report</a>', story.body)
    assert "<ul><li><p>Sensors</p></li><li><p>Maps</p></li></ul>" in story.body
    # Everything the editor needed came from the hub itself: no CDN.
    assert hosts == {urlsplit(live_server.url).netloc}, hosts

    # Reopened, the editor shows what was stored.
    page.goto(f"{live_server.url}/en/admin/stories/story/{story.pk}/change/")
    expect(page.get_by_role("textbox", name="Text:").locator("h2")).to_have_text("Lessons")
    page.context.close()

    # A visitor sees the formatting on the story's page.
    visitor = new_page(browser)
    visitor.goto(f"{live_server.url}{story.get_absolute_url()}")
    body = visitor.get_by_role("main")
    expect(body.get_by_role("heading", level=2, name="Lessons")).to_be_visible()
    expect(body.locator("strong", has_text="open data")).to_be_visible()
    expect(body.get_by_role("link", name="Read the report")).to_have_attribute(
        "href", "https://example.org/report"
    )
    expect(body.get_by_role("listitem")).to_have_count(2)
    visitor.context.close()
