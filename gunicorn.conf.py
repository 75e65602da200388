"""gunicorn's settings for the hub in production (read by `gunicorn dsi_hub.wsgi` from here).

Threaded workers (gthread): the worker's main loop keeps telling the master it is alive while a
request thread streams a long download (/data/*.csv), so `timeout` stops hung workers without
cutting a 100,000-row export short, as a sync worker's time-out would.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30
graceful_timeout = 30
keepalive = 5
# A fresh process now and then keeps memory in check over weeks.
max_requests = 5000
max_requests_jitter = 500
# gunicorn caps the request line and headers, not the body: a body over REQUEST_BODY_MAX_BYTES is
# refused unread by core.request_limits, and by the proxy in front (client_max_body_size).
# Its largest, as nginx's default buffers (8 KB): the hub answers addresses over
# REQUEST_URI_MAX_LENGTH itself (core.request_limits), in JSON under /api/ as its schema says.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"


def on_starting(server):
    """Before the first worker starts: write the gazetteer's lookup file (directory.cities), so
    that no visitor's request waits seconds for it. Once per machine and gazetteer version; here
    rather than when Django starts, which would slow every manage.py command and test run."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsi_hub.settings")
    import django

    django.setup()
    from directory.cities import gazetteer_build

    gazetteer_build()


def pre_request(worker, req):
    """A body announced over the hub's limit is answered 413 unread (core.request_limits); the
    connection then closes, rather than the worker reading the body through and throwing it
    away to keep the connection open for another request."""
    from django.conf import settings

    for name, value in req.headers:
        too_big = value.isdigit() and int(value) > settings.REQUEST_BODY_MAX_BYTES
        if name == "CONTENT-LENGTH" and too_big:
            req.force_close()
