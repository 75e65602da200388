"""Checks behind /readyz: the database, Redis, the Celery worker's heartbeat and the mail queue.

/healthz (liveness) does no I/O at all. /readyz reads, each within a fraction of a second: a
`SELECT 1`, a Redis round trip (none while core.cache's breaker is open), the time of the
worker's last heartbeat (a beat task the worker runs every HEARTBEAT_SECONDS writes it to Redis:
no live ping of the workers per request), and two counts of outgoing email. A process answers
from its last report for REPORT_SECONDS, so monitors looping on it cost next to nothing.

Only a database that cannot be reached makes the node unready (503): without Redis or a worker
the hub still serves its pages, degraded, and a load balancer must not take every node out.
`?strict` answers 503 for any failing check, for monitors.
"""

import threading
import time

from django.core.cache import cache
from django.db import connection

from core.cache import cache_available
from core.outbox import outgoing_email_check

HEARTBEAT_KEY = "health:worker-heartbeat"
# The beat task writes the heartbeat this often; older than STALE_AFTER means no worker (or no
# beat) has run a task for that long.
HEARTBEAT_SECONDS = 30
STALE_AFTER = 3 * HEARTBEAT_SECONDS
REPORT_SECONDS = 2.0
# Checks that make the node unready when they fail; the others make it degraded.
REQUIRED = frozenset({"database"})


def worker_heartbeat_write() -> float:
    """Record that a worker is running tasks now (the beat task dsi_hub.tasks.worker_heartbeat)."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=24 * 60 * 60)
    return now


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return ""


def check_redis() -> str:
    if not cache_available():
        raise RuntimeError("unreachable (pages are served from Postgres meanwhile)")
    return ""


def check_worker() -> str:
    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        raise RuntimeError("no heartbeat recorded (worker or beat not running, or Redis down)")
    age = time.time() - beat
    if age > STALE_AFTER:
        raise RuntimeError(f"last heartbeat {age:.0f} s ago (worker or beat not running)")
    return f"heartbeat {age:.0f} s ago"


def check_mail() -> str:
    """Unsent mail, and none waiting too long (core.outbox: queued, sending or due a retry)."""
    return outgoing_email_check()


CHECKS = {
    "database": check_database,
    "redis": check_redis,
    "worker": check_worker,
    "mail": check_mail,
}


def _run_checks() -> dict:
    report = {}
    for name, check in CHECKS.items():
        if name in ("worker", "mail") and report.get(_NEEDS[name], {}).get("status") != "ok":
            report[name] = {"status": "error", "error": f"not checked: {_NEEDS[name]} is down"}
            continue
        try:
            detail = check()
            report[name] = {"status": "ok", **({"detail": detail} if detail else {})}
        except Exception as error:  # a check must report any failure, never raise it
            report[name] = {"status": "error", "error": str(error)[:300] or type(error).__name__}
    return report


_NEEDS = {"worker": "redis", "mail": "database"}
_last: dict = {}
_lock = threading.Lock()


def readiness_report() -> dict:
    """Each check's state, at most REPORT_SECONDS old (one run per process at a time)."""
    with _lock:
        if _last and time.monotonic() - _last["at"] < REPORT_SECONDS:
            return _last["report"]
        report = _run_checks()
        _last.update(at=time.monotonic(), report=report)
        return report


def forget_report() -> None:
    """Run the checks afresh on the next call (tests)."""
    _last.clear()


def readiness(report: dict, *, strict: bool = False) -> tuple[str, bool]:
    """The overall state ("ok", "degraded", "error") and whether the node is ready."""
    failing = {name for name, check in report.items() if check["status"] != "ok"}
    if failing & REQUIRED:
        return "error", False
    if failing:
        return "degraded", not strict
    return "ok", True
