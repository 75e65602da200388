"""Redis must not fill without bound, and the broker's tasks must never be what it evicts: the
embedded Redis is bounded and evicts only expiring keys, and the broker may have its own."""

import subprocess
import sys

from django.conf import settings

from dsi_hub import embedded


def test_the_embedded_redis_is_bounded_and_evicts_only_expiring_keys(tmp_path, monkeypatch):
    monkeypatch.setattr(embedded, "DATA_DIR", tmp_path)
    monkeypatch.setattr(embedded, "_servers", {})
    server = embedded.redis_server()
    try:
        assert int(server.config_get("maxmemory")["maxmemory"]) == 128 * 1024 * 1024
        assert server.config_get("maxmemory-policy")["maxmemory-policy"] == "volatile-lru"
    finally:
        embedded.stop_all()


def _broker_url(**env) -> str:
    code = "from django.conf import settings; print(settings.CELERY_BROKER_URL)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_broker_may_have_a_redis_of_its_own():
    base = {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    cache_redis = "redis://cache.example:6379/0"
    assert _broker_url(**base, REDIS_URL=cache_redis) == cache_redis
    broker = "redis://broker.example:6379/0"
    assert _broker_url(**base, REDIS_URL=cache_redis, REDIS_BROKER_URL=broker) == broker
