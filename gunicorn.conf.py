"""gunicorn's settings for the hub in production (read by `gunicorn dsi_hub.wsgi` from here).

Threaded workers (gthread): the worker's main loop keeps telling the master it is alive while a
request thread streams a long download (/data/*.csv), so `timeout` stops hung workers without
cutting a 100,000-row export short, as a sync worker's time-out would.

One request thread per worker by default, and more workers: the hub's pages are mostly Python
work, and two request threads in one process take turns on the interpreter's lock, each one's
database and Redis answers waiting for the other's turn. At 8 clients on 2 cores, the statistics
overview went from 172 to 206 requests a second and its p95 from 102 to 75 ms (make bench).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
SWITCH_INTERVAL_SECONDS = float(os.environ.get("PYTHON_SWITCH_INTERVAL", "0.001"))
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


def post_fork(server, worker):
    """Hand the interpreter's lock between a worker's threads every millisecond rather than
    every five, where GUNICORN_THREADS gives it more than one request thread: a thread whose
    Redis or Postgres answer has arrived waits for a busy sibling that long at most (with
    Python's default, each round trip could cost up to 5 ms more under load)."""
    import sys

    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
