"""Settings of the DSI Hub: one module, driven by the environment (django-environ).

Environment variables:
- DJANGO_DEBUG: "true" for development. Off by default: production is the safe default.
- DJANGO_SECRET_KEY: required (and checked) when debug is off.
- DJANGO_ALLOWED_HOSTS: comma-separated host names.
- DATABASE_URL: a Postgres URL. Unset: an embedded Postgres in .data/ (see dsi_hub.embedded).
- REDIS_URL: a Redis URL for the cache, Celery's broker and rate limits. Unset: embedded Redis.
- REDIS_BROKER_URL: Celery's broker, if not REDIS_URL (in production a Redis with noeviction).
- REDIS_TIMEOUT, REDIS_RETRY_SECONDS, DATABASE_CONNECT_TIMEOUT: how long to wait for Redis and
  Postgres, and to skip Redis after a failure (see core.cache and core.outages).
- EMAIL_URL: where mail goes, e.g. smtp+tls://user:pass@host:587. Unset: the console in debug.
- SITE_URL: the hub's public address (https://dsi-hub.eu), required when debug is off.
- OPERATOR_NAME, OPERATOR_EMAIL, OPERATOR_ADDRESS: who runs the hub (the privacy page's data
  controller, the contact form's address of last resort).
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dsi_hub import embedded

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A git-ignored .env (written by `make run` with DJANGO_DEBUG=true) lets plain `manage.py`
# commands find the development settings; real environment variables always win.
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_INSECURE_KEY = "django-insecure-dsi-hub-development-only-key-never-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_INSECURE_KEY if DEBUG else "")
if not DEBUG and (
    not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of 50 or more characters "
        "when DJANGO_DEBUG is off. Generate one with: python -c "
        '"from django.core.management.utils import get_random_secret_key as k; print(k())"'
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "reversion",
    # The stories' rich-text editor (ProseMirror), served from our own static files.
    "django_prose_editor",
    "core",
    "dsi_hub",
    "accounts",
    "directory",
    "events",
    "funding",
    "stories",
    "explore",
    "newsletter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # On every answer, static files and error pages included (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Embeds (core.embeds) set no cookie, whatever the middleware below it would add.
    "core.embeds.EmbedCookiesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body: too large a one is refused unread, with a 413 page.
    "core.request_limits.RequestBodyLimitMiddleware",
    # A path and query string over REQUEST_URI_MAX_LENGTH: 414 (JSON under /api/).
    "core.request_limits.RequestUriLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Links are built on the request's host when SITE_URL is unset (development only).
    "core.hosts.RequestHostMiddleware",
    # The database down: a 503 page with Retry-After, not a 500 (see also handler500).
    "core.outages.OutageMiddleware",
]

ROOT_URLCONF = "dsi_hub.urls"
WSGI_APPLICATION = "dsi_hub.wsgi.application"
ASGI_APPLICATION = "dsi_hub.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dsi_hub.context_processors.site",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------

# Embedded services are for development only: production (debug off) refuses to start without
# a real database and Redis, as it does without a secret key. (`make test` starts the embedded
# ones itself and hands their addresses over in DATABASE_URL and REDIS_URL.)
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
elif DEBUG:
    DATABASES = {"default": embedded.database_config()}
else:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set (postgres://user:password@host:5432/name) when DJANGO_DEBUG "
        "is off: the embedded Postgres is for development only."
    )
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at Postgres: it is the only engine.")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A Postgres that does not answer makes a request fail (a 503, core.outages) after this many
# seconds, instead of hanging the worker.
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
    "DATABASE_CONNECT_TIMEOUT", default=5
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if not REDIS_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "REDIS_URL must be set (redis://host:6379/0) when DJANGO_DEBUG is off: the embedded "
            "Redis is for development only."
        )
    REDIS_URL = embedded.redis_url()

# Redis is a cache here, never the truth: core.cache's backend waits REDIS_TIMEOUT seconds at
# most for it and, after a failure, skips it for REDIS_RETRY_SECONDS, serving from Postgres.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.5)
REDIS_RETRY_SECONDS = env.float("REDIS_RETRY_SECONDS", default=5)
CACHES = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="dsi_hub"),
        "TIMEOUT": 300,
        "OPTIONS": {
            "socket_timeout": REDIS_TIMEOUT,
            "socket_connect_timeout": REDIS_TIMEOUT,
        },
    },
    # {% cache %} fragments of the layout (footer links, language list): the same for every
    # visitor in a language and changed only by a deploy, so each process keeps its own.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "TIMEOUT": 3600,
    },
}

# --- Clients' addresses ------------------------------------------------------------------------

# How many proxies of our own stand in front of the hub, each appending the address it received
# from to X-Forwarded-For (0: none, the client is REMOTE_ADDR). Every rate limit counts by the
# address the outermost one saw (core.ratelimit.client_ip); a client cannot write its own.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Accounts ----------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile_edit"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
# A field that people never see; bots that fill it in are turned away without a word.
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "phone_number"
ACCOUNT_RATE_LIMITS = {
    "signup": "10/h/ip",
    "login": "30/m/ip",
    # Per address, and per address and account (the key: accounts.adapters), so that a
    # stranger's guesses never refuse the owner elsewhere; the account itself is locked only
    # after many failures from many addresses, and its owner emailed (accounts.lockout).
    "login_failed": "10/m/ip,30/h/ip,5/5m/key",
    "reset_password": "20/m/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "change_email": "1/m/user",
}

# --- Internationalisation ----------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("es", _("Spanish")),
    ("ca", _("Catalan")),
]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages from the npm registry (map, network), fetched at build time by
# dsi_hub.vendor into .vendor/ and served under /static/vendor/.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", BASE_DIR / ".vendor")]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# The hub serves uploads from MEDIA_ROOT itself (core.media) unless a proxy does (README).
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads: form fields are refused over DATA_UPLOAD_MAX_MEMORY_SIZE, files are kept in memory up
# to FILE_UPLOAD_MAX_MEMORY_SIZE (then in a temporary file), and a whole request body over
# REQUEST_BODY_MAX_BYTES (two images and a form) gets a 413 page before it is read. The proxy's
# client_max_body_size must match REQUEST_BODY_MAX_BYTES (README).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMAGE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=12 * 1024 * 1024)
IMAGE_UPLOAD_MAX_PIXELS = 40_000_000
# The longest path and query string answered (else 414), below gunicorn's limit_request_line.
REQUEST_URI_MAX_LENGTH = env.int("REQUEST_URI_MAX_LENGTH", default=4000)
# What an image may take in memory while it is decoded (a JPEG at a reduced scale): 16
# megapixels for an RGB PNG, 8 with transparency; a bigger one is refused with its size.
IMAGE_DECODE_MAX_BYTES = 64 * 1024 * 1024
# An image that decodes (after JPEG's draft) to more pixels than this is re-encoded by a Celery
# task, not in the request (core.pending_images): about a quarter of a second of CPU here, where
# a 16-megapixel PNG takes over a second. 0 sends every image to the task.
IMAGE_INLINE_MAX_PIXELS = env.int("IMAGE_INLINE_MAX_PIXELS", default=4_000_000)

# --- Email: every message goes out through a Celery task ---------------------------------------

EMAIL_BACKEND = "core.mail.CeleryEmailBackend"
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
EMAIL_DELIVERY_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH", str(BASE_DIR / ".data" / "mail"))
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="DSI Hub <hello@dsi-hub.eu>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------------------------


def celery_url(url: str) -> str:
    """Celery names a Redis Unix socket redis+socket://; redis-py names it unix://."""
    if url.startswith("unix://"):
        return "redis+socket://" + url.removeprefix("unix://")
    return url


# The broker's queue must never be evicted: in production give it a Redis of its own with
# `maxmemory-policy noeviction` (README), while the cache's Redis evicts what is least used.
REDIS_BROKER_URL = env.str("REDIS_BROKER_URL", default="") or REDIS_URL
CELERY_BROKER_URL = celery_url(REDIS_BROKER_URL)
# A web request that queues a task waits for a broker that is away a second at most (the task is
# then left for a sweep, see dsi_hub.celery), not the default four seconds times three retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged when it is done, not when it is taken: a worker that dies mid-task
# gives the task back. Tasks are therefore written to be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# Redis gives an unacknowledged task to another worker after this; it must exceed the longest
# task (the hard time limit above) and the longest countdown (core.notices: 3 minutes), or a task
# would run twice at once. A killed worker's tasks wait this long; mail does not wait for it
# (core.outbox's sweeper queues it again after a 5-minute lease). Short socket timeouts keep a
# Redis outage from holding requests that queue tasks (core.cache, dsi_hub.celery).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 15 * 60,
    "socket_timeout": 5,
    "socket_connect_timeout": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".data" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "purge-sent-email": {
        "task": "dsi_hub.tasks.outgoing_email_purge",
        "schedule": 24 * 60 * 60,
    },
}
CELERY_BEAT_SCHEDULE["moderation-digest"] = {
    "task": "directory.tasks.moderation_digest_send",
    "schedule": crontab(hour=7, minute=0),
}
# Moderators' notices (core.notices): a sweep for any whose scheduled send was lost.
CELERY_BEAT_SCHEDULE["moderation-notices-sweep"] = {
    "task": "core.tasks.moderation_notices_sweep",
    "schedule": 5 * 60,
}
# Outgoing email (core.outbox): queue again what the broker lost or a killed worker left.
CELERY_BEAT_SCHEDULE["outgoing-email-sweep"] = {
    "task": "core.tasks.outgoing_email_sweep",
    "schedule": 60,
}
# Uploaded images waiting to be re-encoded (core.pending_images): those whose task was lost.
CELERY_BEAT_SCHEDULE["pending-images-sweep"] = {
    "task": "core.tasks.pending_images_sweep",
    "schedule": 60,
}
# The worker's heartbeat, which /readyz reads instead of pinging workers (dsi_hub.health).
CELERY_BEAT_SCHEDULE["worker-heartbeat"] = {
    "task": "dsi_hub.tasks.worker_heartbeat",
    "schedule": 30,
    "options": {"expires": 30},
}
CELERY_BEAT_SCHEDULE["events-series-extend"] = {
    "task": "events.tasks.events_series_extend",
    "schedule": crontab(hour=3, minute=30),
}
# Newsletter addresses never confirmed within a week of signing up (newsletter.services).
CELERY_BEAT_SCHEDULE["newsletter-unconfirmed-purge"] = {
    "task": "newsletter.tasks.newsletter_unconfirmed_purge",
    "schedule": crontab(hour=4, minute=15),
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Django REST Framework ---------------------------------------------------------------------

# The open-data API (/api/v1/): read-only, anonymous, throttled per address.
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.api.filter_schema.ApiAutoSchema",
    # Per client address as core.ratelimit.client_ip finds it (TRUSTED_PROXY_COUNT), not per
    # the raw X-Forwarded-For DRF's own throttle would trust.
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.ClientAddressAnonRateThrottle"],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # API_ANON_RATE="" turns the throttle off (the benchmark's one client is not a crowd).
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="120/minute") or None},
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Anonymous and read-only: no log-in, so no cookies, sessions or CSRF involved.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DSI Hub open data API",
    # Names every kind of content the API serves (dsi_hub/tests/test_api_docs.py checks it).
    "DESCRIPTION": (
        "Read-only access to what is published on the hub of digital social innovation in "
        "Europe: organisations, projects, events, funding opportunities and stories (news, blog "
        "posts and case studies), and the vocabularies that classify them (countries, social "
        "areas, technologies, organisation types and sizes, types of funding...). Every list "
        "takes the filters of its page on the hub, with search, ordering and pages."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The docs page is served from our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Researchers' browser apps may read the API and the downloads from any origin; nothing else.
CORS_URLS_REGEX = r"^/(api/v1|data)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False

# --- Security ----------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Only the hub's own scripts, styles, fonts and frames, none inline (the API docs start Swagger
# UI from a script of their own, the rich-text editor's styles are in its stylesheet), forms
# sent only to the hub, and no site may frame it. dsi_hub/tests/test_security_headers_browser.py
# goes through the site, the editor, the admin and the API docs in Chromium under it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the icons in Swagger UI's and the admin's stylesheets.
        "img-src": ["'self'", "data:", *env.list("CSP_IMG_SRC", default=[])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": env.str("CSP_REPORT_URI", default="") or None,
    }
}
# Raster tiles under the maps' country outlines (the explore map, the location step's), e.g.
# https://tile.example.org/{z}/{x}/{y}.png, and the credit their provider asks for; without
# them the maps draw only the country boundaries they ship (world-atlas), nothing from afar.
# The tile server's origin must then be allowed in CSP_IMG_SRC (CSP_IMG_SRC=https://tile...).
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
# Browser features the hub never asks for, refused to it and to anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging -----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- The hub -----------------------------------------------------------------------------------

SITE_NAME = "DSI Hub"
# Account emails (allauth) are signed with the hub's name, never a host (accounts.adapters).
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Who runs the hub: the data controller named on the privacy page and the address of last resort
# for the contact form (which writes to the community admins). Set them for a real deployment.
OPERATOR_NAME = env.str("OPERATOR_NAME", default="DSI Hub (development)")
OPERATOR_EMAIL = env.str("OPERATOR_EMAIL", default="hello@dsi-hub.eu")
OPERATOR_ADDRESS = env.str("OPERATOR_ADDRESS", default="")
# The release being served (a commit id, say), so cached pages and files do not outlive it.
# Empty: a digest of the code and templates (core.release).
RELEASE = env.str("RELEASE", default="")
# The public address of the hub (scheme and host), for every absolute link: emails, the API's
# and downloads' `url` fields, feeds, the sitemap. Required in production; in development links
# name the host of the request being served (core.hosts).
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        "SITE_URL must start with https:// (or http://), e.g. https://dsi-hub.eu"
    )
if not DEBUG and not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be set to the hub's public address (https://dsi-hub.eu) when "
        "DJANGO_DEBUG is off: links in emails, the API, downloads and the sitemap are built on it."
    )
# The licence that new contributions to the directory are published under.
CONTENT_LICENCE = env.str("CONTENT_LICENCE", default="CC BY 4.0")
# Count the unfiltered directory in the background whenever published content changes.
DIRECTORY_WARM_LISTS = env.bool("DIRECTORY_WARM_LISTS", default=True)
# Make the unfiltered network (explore.network) in the background after each such change.
EXPLORE_WARM_NETWORK = env.bool("EXPLORE_WARM_NETWORK", default=True)
# The lists' facet index in each worker (core.facets): built in a background thread on first
# use (lists are made by Postgres meanwhile), looked at for changes when the content version
# moved on and at least this often, and not built for tables with more published rows.
FACET_INDEX_BACKGROUND = env.bool("FACET_INDEX_BACKGROUND", default=True)
FACET_INDEX_POLL_SECONDS = env.float("FACET_INDEX_POLL_SECONDS", default=1.0)
FACET_INDEX_MAX_ROWS = env.int("FACET_INDEX_MAX_ROWS", default=2_000_000)
# A worker that built an index shares it through Redis this long: the next workers load it and
# catch up from the change log (0: each worker builds its own).
FACET_INDEX_SHARE_SECONDS = env.int("FACET_INDEX_SHARE_SECONDS", default=60 * 60)
# Each worker keeps the words of every search table in memory (core.word_index; about 35 MB
# per 100,000 rows), built and kept in step as the facet index is: a new search word is
# answered in milliseconds rather than by the table's GIN. Off: searches use Postgres.
WORD_INDEX = env.bool("WORD_INDEX", default=True)
# Where each worker keeps the whole-directory downloads (/data/*.csv, .json) made since the
# last change, to send them again as files (directory.download_files). Empty: none kept.
DOWNLOAD_FILES_DIR = env.str("DOWNLOAD_FILES_DIR", default=str(BASE_DIR / ".data" / "downloads"))
