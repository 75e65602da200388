"""The benchmark's server side: production-like settings, the database, gunicorn, memory.

Shared by bench.run (the whole benchmark) and bench.distinct (list URLs no one asked before).
"""

import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import Client

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dsi_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
# The production config (gunicorn.conf.py: threaded workers), with one worker per core and one,
# and no recycling of workers: a worker restarted after its 5,000th request would make its
# first request (imports, caches) look like a download's first byte and memory growth.
GUNICORN_ARGS = os.environ.get(
    "BENCH_GUNICORN_ARGS", "-c gunicorn.conf.py --workers 3 --max-requests 0"
)
HOST = "127.0.0.1"


def say(message: str) -> None:
    print(message, flush=True)


def environment(static_root: str) -> None:
    """Production-like settings for this process, manage.py and gunicorn alike."""
    os.environ.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="http://127.0.0.1:8000",
        DJANGO_SECURE_SSL_REDIRECT="false",
        CACHE_KEY_PREFIX="dsi_bench",
        BENCH_STATIC_ROOT=static_root,
        # None kept yet: the first whole download is made, not sent from an earlier run's file.
        DOWNLOAD_FILES_DIR=tempfile.mkdtemp(prefix="dsi-bench-downloads-"),
        LOG_LEVEL="ERROR",  # pages beyond the last one answer 404: expected, not news
        # One load generator is not who the throttle is for; at its rate, the throttle's list of
        # recent requests from one address would grow to thousands and be measured instead.
        API_ANON_RATE="",
    )


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True, cwd=BASE_DIR)


def ensure_database() -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict
    from psycopg.conninfo import make_conninfo

    params = conninfo_to_dict(DATABASE_URL)
    name = params.get("dbname")
    server = make_conninfo(DATABASE_URL, dbname="postgres")
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            say(f"Creating the database {name} ...")
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "dsi_hub.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        *shlex.split(GUNICORN_ARGS),
    ]
    say(f"Starting gunicorn on port {port}: {GUNICORN_ARGS}")
    process = subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start (exit {process.returncode}).")
        try:
            status, _, _ = Client(HOST, port, timeout=5).get("/en/organisations/")
            if status < 500:
                return process
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(process)
    raise RuntimeError("gunicorn did not answer within 60 seconds.")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def bump_cache_version(key: str = "directory:version") -> None:
    """Move a content version on (directory, events:version, funding:version): every page,
    count and facet cached under the old one is stale."""
    from django.core.cache import cache

    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)


def workers_rss(master_pid: int) -> dict[int, int]:
    import psutil

    return {child.pid: child.memory_info().rss for child in psutil.Process(master_pid).children()}
