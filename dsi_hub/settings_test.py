"""Settings for the test suite: the real settings, with what tests need on top.

Tests use real Postgres and Redis (DATABASE_URL/REDIS_URL, or the embedded ones). The cache and
broker use their own Redis database number, so a test run never touches the hub's own keys.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-" + "x" * 60)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
# Production settings require the public address; tests of development links unset it.
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")

from dsi_hub.settings import *  # noqa: E402,F403
from dsi_hub.settings import CACHES  # noqa: E402
from dsi_hub.settings import REDIS_URL  # noqa: E402
from dsi_hub.settings import celery_url  # noqa: E402


def _with_db(url: str, number: int) -> str:
    """The same Redis server, another database number."""
    if url.startswith("unix://"):
        base = url.split("?")[0]
        return f"{base}?db={number}"
    scheme_host, _, _ = url.rpartition("/") if url.count("/") > 2 else (url, "", "")
    return f"{scheme_host}/{number}"


# TEST_REDIS_DB lets test runs side by side on one machine keep out of each other's way. Under
# pytest-xdist each worker (gw0, gw1...) takes the next number from there, and so its own cache,
# broker and folders: a test that clears the cache must not wipe another worker's. (pytest-django
# gives each worker its own test database.) A run with -n 2 uses TEST_REDIS_DB and the one after.
TEST_REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "9"))
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker:
    TEST_REDIS_DB += int(_xdist_worker.removeprefix("gw"))
TEST_REDIS_URL = _with_db(REDIS_URL, TEST_REDIS_DB)
CACHES["default"]["LOCATION"] = TEST_REDIS_URL
CACHES["default"]["KEY_PREFIX"] = "dsi_hub_test"
CELERY_BROKER_URL = celery_url(TEST_REDIS_URL)
# Tasks run in-process unless a test starts a real worker (see the `celery_worker` fixture).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Delivered mail lands in django.core.mail.outbox.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = BASE_DIR / ".data" / f"test-media-{TEST_REDIS_DB}"  # noqa: F405
DOWNLOAD_FILES_DIR = str(BASE_DIR / ".data" / f"test-downloads-{TEST_REDIS_DB}")  # noqa: F405
# Request threads of the live server must not keep connections open past their request.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tests that want the lists warmed after a change turn it on themselves.
DIRECTORY_WARM_LISTS = False
EXPLORE_WARM_NETWORK = False
# The facet index is built in the request that first needs it, and looks for changes at
# every request: factories write published rows without moving the directory's version.
FACET_INDEX_BACKGROUND = False
FACET_INDEX_POLL_SECONDS = 0.0
