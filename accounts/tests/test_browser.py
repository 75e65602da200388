"""A first visit in headless Chromium: sign up, verify, log in, edit, switch language."""

import os
import re
import time

import pytest
from django.core import mail
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from accounts.tests.images import jpeg_with_exif
from core.tests.browser import CHROMIUM
from core.tests.browser import new_page

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def page(live_server, django_db_serialized_rollback, settings):
    from playwright.sync_api import sync_playwright

    # The hub's address is the live server's: the emails' links lead there.
    settings.SITE_URL = live_server.url

    # Playwright runs an event loop in this thread; the test's own ORM calls are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def wait_for_mail(count=1, timeout=15):
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) >= count, "no email arrived"
    return mail.outbox[count - 1]


def test_sign_up_verify_log_in_edit_profile_and_switch_language(page, live_server, tmp_path):
    try:
        _first_visit(page, live_server, tmp_path)
    finally:
        # Playwright runs this test's code in a greenlet of its own, where the ORM opened a
        # connection of its own; close it so the test database can be dropped.
        connections.close_all()


def _first_visit(page, live_server, tmp_path):
    password = "a long and unusual passphrase"

    # Sign up.
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Email (required)", exact=True).fill("ada@example.org")
    page.get_by_label("Password (required)", exact=True).fill(password)
    page.get_by_label("Password (again) (required)", exact=True).fill(password)
    page.get_by_label("I accept the terms of use").check()
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/en/accounts/confirm-email/$"))

    # Follow the link from the verification email.
    message = wait_for_mail()
    link = re.search(r"https?://\S+/en/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    # Log in.
    page.wait_for_url(re.compile(r"/en/accounts/login/$"))
    page.get_by_label("Email (required)", exact=True).fill("ada@example.org")
    page.get_by_label("Password (required)", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/account/profile/$"))

    # Edit the profile, with an avatar.
    avatar = tmp_path / "me.jpg"
    avatar.write_bytes(jpeg_with_exif().read())
    page.get_by_label("Job title").fill("Analyst")
    page.get_by_label("City").fill("London")
    page.get_by_label("Skills").fill("mathematics, poetry")
    page.get_by_label("Avatar").set_input_files(str(avatar))
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_role("status").inner_text().strip() == "Your profile has been saved."
    assert page.get_by_alt_text("Your current avatar").is_visible()
    user = User.objects.get(email="ada@example.org")
    assert user.job_title == "Analyst"
    assert user.skills == ["mathematics", "poetry"]
    assert user.avatar.name.endswith(".webp")

    # Keyboard users can skip straight to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"

    # Switch to German and back, with the footer's language links.
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Deutsch").click()
    page.wait_for_url(re.compile(r"/de/account/profile/$"))
    assert page.locator("html").get_attribute("lang") == "de"
    with translation.override("de"):
        german = {text: gettext(text) for text in ("Your profile", "Language")}
    assert german["Your profile"] != "Your profile"
    assert page.get_by_role("heading", level=1).inner_text() == german["Your profile"]
    page.get_by_role("navigation", name=german["Language"]).get_by_role(
        "link", name="English"
    ).click()
    page.wait_for_url(re.compile(r"/en/account/profile/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your profile"

    # The public profile shows it all.
    page.goto(f"{live_server.url}/en/people/{user.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ada Lovelace"
    assert page.get_by_text("mathematics").is_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_sign_up_page_does_not_scroll_sideways(browser, live_server, width):
    page = new_page(browser, viewport={"width": width, "height": 844})
    page.goto(f"{live_server.url}/en/accounts/signup/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.body.scrollWidth") <= width
    # The trap is there for bots, but nobody sees it or tabs to it.
    assert not page.locator("#id_phone_number").is_visible()
    page.locator("#id_name").focus()
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") != "id_phone_number"
