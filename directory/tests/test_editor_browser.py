"""In headless Chromium: practitioners write a profile's description in the rich-text editor
(from the hub's own static files, under the site's Content-Security-Policy: no inline script),
the preview shows it sanitised; without JavaScript the textarea takes HTML as before."""

import re
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.models import Status
from core.tests.browser import logged_in_page
from core.tests.browser import select_to_line_start
from directory.models import Organisation
from directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser


def test_a_practitioner_formats_a_description_in_the_editor(browser, live_server):
    try:
        _with_the_editor(browser, live_server)
        _without_javascript(browser, live_server)
    finally:
        connections.close_all()  # the greenlet's own connection, so the database can be dropped


def _step_url(live_server, profile, step):
    path = reverse("directory:organisation_edit_step", kwargs={"slug": profile.slug, "step": step})
    return f"{live_server.url}{path}"


def _with_the_editor(browser, live_server):
    from playwright.sync_api import expect

    owner = UserFactory(email="editor-owner@example.org")
    profile = OrganisationFactory(owner=owner, status=Status.DRAFT, published_at=None)
    page = logged_in_page(browser, live_server, owner)
    hosts, problems = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))

    response = page.goto(_step_url(live_server, profile, "about"))
    # The site's own policy: no inline script, no inline style.
    # (django-csp does not keep the directives' order: read them one by one.)
    policy = dict(
        part.strip().split(None, 1)
        for part in response.headers["content-security-policy"].split(";")
        if part.strip()
    )
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"

    text = page.get_by_role("textbox", name="Description")
    expect(text).to_have_attribute("contenteditable", "true")
    # The note on HTML tags is for typing HTML by hand: gone once the editor is up; the
    # field's own help stays and describes the editable area.
    help_text = page.locator("#id_description_helptext")
    expect(help_text).to_contain_text("What you do, for whom and how.")
    expect(help_text.locator(".rich-text-tags")).to_have_count(0)
    expect(text).to_have_attribute("aria-describedby", "id_description_helptext")

    # With nothing to undo, undo is greyed out, and inactive for assistive technology too.
    undo = page.get_by_role("button", name="undo", exact=True)
    expect(undo).to_have_attribute("aria-disabled", "true")

    text.click()
    page.keyboard.type("We teach ")
    expect(undo).not_to_have_attribute("aria-disabled", "true")
    page.keyboard.press("Control+b")
    page.keyboard.type("open hardware")
    page.keyboard.press("Control+b")
    page.keyboard.type(" to neighbours.")
    page.keyboard.press("Enter")
    page.keyboard.type("Our workshop")
    select_to_line_start(page, page.get_by_role("button", name="link"))
    page.get_by_role("button", name="link").click()
    page.get_by_label("URL").fill("https://workshop.example.org/")
    page.get_by_role("button", name="Update").click()
    expect(text.get_by_role("link", name="Our workshop")).to_be_visible()
    page.get_by_role("button", name="Save draft and leave").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))

    profile = Organisation.objects.get(pk=profile.pk)
    assert "<strong>open hardware</strong>" in profile.description
    assert re.search(
        r'<a href="https://workshop.example.org/"[^>]*>Our workshop</a>', profile.description
    )

    # The owner's preview shows the formatting, sanitised (the sanitiser's rel on links).
    preview = reverse("directory:organisation_preview", kwargs={"slug": profile.slug})
    page.goto(f"{live_server.url}{preview}")
    main = page.get_by_role("main")
    expect(main.locator("strong", has_text="open hardware")).to_be_visible()
    link = main.get_by_role("link", name="Our workshop")
    expect(link).to_have_attribute("href", "https://workshop.example.org/")
    expect(link).to_have_attribute("rel", re.compile("nofollow"))

    # Nothing came from elsewhere, and the strict policy refused nothing.
    assert hosts == {urlsplit(live_server.url).netloc}, hosts
    assert not problems, problems
    page.context.close()


def _without_javascript(browser, live_server):
    from playwright.sync_api import expect

    owner = UserFactory(email="plain-owner@example.org")
    profile = OrganisationFactory(owner=owner, status=Status.DRAFT, published_at=None)
    page = logged_in_page(browser, live_server, owner, java_script_enabled=False)
    page.goto(_step_url(live_server, profile, "about"))

    textarea = page.get_by_label("Description")
    expect(textarea).to_be_visible()
    expect(page.locator("#id_description_helptext")).to_contain_text("these tags are kept")
    textarea.fill(
        '<p>We teach <b>open hardware</b>.<script>alert("x")</script></p>'
        '<p><a href="javascript:alert(1)" onclick="alert(2)">Click</a></p>'
    )
    page.get_by_role("button", name="Save draft and leave").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))

    preview = reverse("directory:organisation_preview", kwargs={"slug": profile.slug})
    page.goto(f"{live_server.url}{preview}")
    main = page.get_by_role("main")
    expect(main.locator("b", has_text="open hardware")).to_be_visible()
    expect(main.locator("script")).to_have_count(0)
    expect(main.get_by_text("Click")).not_to_have_attribute("href", re.compile("javascript"))
    expect(main.locator("[onclick]")).to_have_count(0)
    page.context.close()
