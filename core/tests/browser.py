"""What the browser tests (marked `browser`) share: where Chromium is, how a page is opened, and
how to wait for mail the live server sends. The `browser` fixture is in the root conftest.py."""

import shutil
import time

from django.core import mail

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
