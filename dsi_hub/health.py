"""Checks behind /healthz: the database, Redis, a live Celery worker, and unsent mail."""

import redis
from django.conf import settings
from django.db import connection

from core.outbox import outgoing_email_check
from dsi_hub.celery import app


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_redis() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def check_worker() -> str:
    replies = app.control.ping(timeout=1.0)
    if not replies:
        raise RuntimeError("no worker answered a ping within a second")
    return f"ok ({len(replies)} worker{'s' if len(replies) != 1 else ''})"


CHECKS = {"database": check_database, "redis": check_redis, "worker": check_worker}
CHECKS["mail"] = outgoing_email_check  # unsent mail, and none waiting too long


def health_report() -> tuple[bool, dict]:
    """Run every check; report each one's state and whether all are healthy.

    The worker is pinged through Redis, so with Redis down the ping is skipped: it would only
    hang for seconds in connection retries before failing the same way.
    """
    report = {}
    healthy = True
    for name, check in CHECKS.items():
        if name == "worker" and report["redis"]["status"] != "ok":
            report[name] = {"status": "error", "error": "not checked: Redis is down"}
            continue
        try:
            report[name] = {"status": check()}
        except Exception as error:  # a check must report any failure, never raise it
            healthy = False
            report[name] = {"status": "error", "error": str(error)[:300] or type(error).__name__}
    return healthy, report
