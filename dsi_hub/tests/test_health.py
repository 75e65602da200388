"""/healthz (liveness, no I/O) and /readyz (the database, Redis, the worker's heartbeat and the
mail queue), dsi_hub.health."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from core.models import OutgoingEmail
from core.tests.outages import free_port
from dsi_hub import health
from dsi_hub.tasks import worker_heartbeat


@pytest.fixture(autouse=True)
def _fresh_report():
    health.forget_report()
    yield
    health.forget_report()


@pytest.mark.outage
def test_healthz_answers_without_touching_the_database_or_redis(
    client, db, settings, django_assert_num_queries
):
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"},
    }
    with django_assert_num_queries(0):
        for _ in range(50):
            response = client.get("/healthz")
            assert response.status_code == 200
            assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.worker
def test_readyz_reports_every_part_up_once_a_worker_ran_its_heartbeat(client, celery_worker):
    worker_heartbeat.delay()
    deadline = time.monotonic() + 10
    while cache.get(health.HEARTBEAT_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok", body
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "ok"
    assert body["checks"]["worker"]["detail"].startswith("heartbeat ")
    assert body["checks"]["mail"] == {"status": "ok", "detail": "0 unsent"}


def test_readyz_is_degraded_without_a_heartbeat_and_503_only_when_strict(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["worker"]["status"] == "error"
    health.forget_report()
    assert client.get("/readyz?strict").status_code == 503


def test_a_stale_heartbeat_is_a_missing_worker(client, db):
    cache.set(health.HEARTBEAT_KEY, time.time() - health.STALE_AFTER - 5)
    worker = client.get("/readyz").json()["checks"]["worker"]
    assert worker["status"] == "error" and "heartbeat" in worker["error"]


def test_readyz_does_not_ping_the_workers(client, db, monkeypatch):
    from dsi_hub.celery import app

    monkeypatch.setattr(app.control, "ping", lambda **kwargs: pytest.fail("pinged"))
    health.worker_heartbeat_write()
    assert client.get("/readyz").json()["checks"]["worker"]["status"] == "ok"


def test_readyz_counts_queued_and_stuck_email(client, db):
    health.worker_heartbeat_write()
    OutgoingEmail.objects.create(message={"to": ["a@example.org"]})
    old = OutgoingEmail.objects.create(message={"to": ["b@example.org"]})
    OutgoingEmail.objects.create(message={}, status=OutgoingEmail.Status.SENT)
    assert client.get("/readyz").json()["checks"]["mail"]["detail"] == "2 unsent"
    OutgoingEmail.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(minutes=20)
    )
    health.forget_report()
    body = client.get("/readyz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["mail"]["error"] == (
        "1 of 2 unsent emails waiting for more than 15 minutes"
    )


@pytest.mark.outage
def test_readyz_is_degraded_not_down_when_redis_is(client, db, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"},
    }
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["redis"]["status"] == "error"
    assert checks["worker"] == {"status": "error", "error": "not checked: redis is down"}


@pytest.mark.outage
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readyz_is_503_when_the_database_is_down(client):
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    try:
        response = client.get("/readyz")
    finally:
        connection.close()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["status"] == "error"
    assert body["checks"]["mail"] == {"status": "error", "error": "not checked: database is down"}


def test_a_flood_of_readyz_runs_the_checks_once_per_moment(
    client, db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        for _ in range(20):
            assert client.get("/readyz").status_code == 200


def test_the_worker_heartbeat_is_scheduled_more_often_than_it_goes_stale(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == worker_heartbeat.name
    assert entry["schedule"] <= health.HEARTBEAT_SECONDS < health.STALE_AFTER
