"""Fixtures shared by every app's tests."""

import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation


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
    read: each test starts with none."""
    from directory.vocabularies import forget_tables

    cache.clear()
    forget_tables()
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
