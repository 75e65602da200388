"""What the browser tests (marked `browser`) share: where Chromium is, how a page is opened, how
to wait for mail the live server sends, and an accessibility check with axe-core. The `browser`
fixture is in the root conftest.py."""

import shutil
import time
from functools import cache
from importlib.resources import files

from django.conf import settings
from django.core import mail
from django.test import Client

# The Debian package's binary; where it is missing, conftest.py skips the `browser` tests.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def new_page(browser, **options):
    context = browser.new_context(locale="en-GB", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def logged_in_page(browser, live_server, user, **options):
    """A page in a context of its own, logged in as `user` (the session Django's test client
    makes, in the context's cookies): for pages behind the log-in that are not its test."""
    client = Client()
    client.force_login(user)
    page = new_page(browser, **options)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def rich_text_box(page, name):
    """The editable area of a rich-text field (django-prose-editor) named `name`, once the
    editor is up: before, the name is the plain textarea's, which the editor hides as it
    starts, so filling it then races the editor."""
    from playwright.sync_api import expect

    box = page.get_by_role("textbox", name=name)
    expect(box).to_have_attribute("contenteditable", "true")
    return box


def select_to_line_start(page, enabled_by, attempts: int = 3) -> None:
    """Select from the caret to the start of its line in a rich-text editor, until the
    control `enabled_by` (a locator) is enabled: under load, the editor may not have taken in
    the keys typed just before, and the first Shift+Home then selects nothing."""
    from playwright.sync_api import expect

    for attempt in range(attempts):
        page.keyboard.press("Shift+Home")
        try:
            expect(enabled_by).to_be_enabled(timeout=3000)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise


def wait_for_mail(matches, timeout=15):
    """The first message in the outbox that `matches`; mail leaves after the server's commit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [message for message in mail.outbox if matches(message)]
        if found:
            return found[0]
        time.sleep(0.1)
    subjects = [message.subject for message in mail.outbox]
    raise AssertionError(f"no such email arrived; the outbox has {subjects}")


@cache
def axe_script() -> str:
    """axe-core, as bundled by the axe-playwright-python package (no download, no CDN)."""
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, *, context=None, only=None, rules: dict | None = None) -> list[dict]:
    """What axe-core finds wrong on the page as it stands (its `violations`, with their nodes),
    by axe's default rules: WCAG 2.0, 2.1 and 2.2 A and AA, and its best practices. `context`
    narrows the check to part of the page (a CSS selector); `only` to rules of some tags
    (WCAG_AA: the standard without the best practices); `rules` switches rules on or off
    ({"region": {"enabled": False}})."""
    if not page.evaluate("typeof window.axe === 'object'"):  # once per page loaded
        page.evaluate(axe_script())
    options = {"resultTypes": ["violations"]}
    if only:
        options["runOnly"] = {"type": "tag", "values": list(only)}
    if rules:
        options["rules"] = rules
    result = page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, options]
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    """The violations, one line per element, for an assertion's message."""
    return "\n".join(
        f"{violation['id']} ({violation['impact']}): {' '.join(map(str, node['target']))}: "
        f"{node.get('failureSummary', '').splitlines()[-1] if node.get('failureSummary') else ''}"
        for violation in violations
        for node in violation["nodes"]
    )
