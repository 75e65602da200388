"""Fixtures shared by every app's tests.

Helpers that tests import (not fixtures) live beside the tests, in modules whose names do not
start with test_: core/tests/browser.py, downloads.py, admin_forms.py, each app's
tests/factories.py and tests/helpers.py, and dsi_hub/tests/site_pages.py (every page in its
states, for the accessibility sweep). No test module imports another.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from core.tests.browser import CHROMIUM
from core.tests.browser import CHROMIUM_ARGS


def pytest_collection_modifyitems(config, items):
    """The `browser` tests need Chromium: skip them, and only them, where it is not installed."""
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(
        reason="no Chromium installed (Debian packages chromium and chromium-driver)"
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _mail_through_celery(settings):
    """Django's test runner swaps in the locmem backend; put the hub's own back.

    Mail then takes the real path: an OutgoingEmail row, a task after commit, delivery by the
    task into django.core.mail.outbox.
    """
    settings.EMAIL_BACKEND = "core.mail.CeleryEmailBackend"


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits and cached pages live in Redis, and each process keeps the vocabularies it
    read, its facet indexes and the views whose cached variants are full: each test starts
    with none."""
    from core.facets.live import every_index_reset
    from core.page_cache import forget_full_periods
    from core.page_cache import forget_last_good_looks
    from directory.vocabularies import forget_tables

    cache.clear()
    forget_tables()
    every_index_reset()
    forget_full_periods()
    forget_last_good_looks()
    yield
    cache.clear()
    forget_tables()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in another language leaves it active in the thread: start each test in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _media_root():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _download_files():
    """Whole-directory downloads kept as files: each test starts with none."""
    shutil.rmtree(settings.DOWNLOAD_FILES_DIR, ignore_errors=True)
    yield
    shutil.rmtree(settings.DOWNLOAD_FILES_DIR, ignore_errors=True)


@pytest.fixture
def user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def celery_worker(django_db_serialized_rollback, transactional_db):
    """A real Celery worker, in a thread, taking tasks from Redis."""
    from celery.contrib.testing.worker import start_worker

    from dsi_hub.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server (core.tests.smtp_sink) that the mail task delivers to."""
    from core.tests.smtp_sink import SmtpSink
    from core.tests.smtp_sink import smtp_delivery

    with SmtpSink() as sink:
        smtp_delivery(settings, sink)
        yield sink


@pytest.fixture
def browser(live_server, django_db_serialized_rollback):
    """Headless Chromium, driven by Playwright, for tests marked `browser` against live_server.

    Open pages with core.tests.browser.new_page(browser)."""
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the test's own ORM calls are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def fuzz_examples() -> int:
    """How many generated requests each API operation gets in the tests marked `fuzz`: the one
    setting, FUZZ_EXAMPLES in the environment (`make fuzz FUZZ_EXAMPLES=1000`), 100 by default."""
    return int(os.environ.get("FUZZ_EXAMPLES") or 100)
