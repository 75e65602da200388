"""Real services to take down in outage tests: a throwaway redis-server on a free port, and a
closed port to point the database at. Never the machine's shared Postgres or Redis."""

import shutil
import socket
import subprocess
import time

import redis

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayRedis:
    """A redis-server of the test's own, with nothing saved to disk, that it may kill."""

    def __init__(self, *args: str):
        self.port = free_port()
        self.args = args
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "ThrowawayRedis":
        command = [REDIS_SERVER, "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [*command, *self.args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def cache_on_throwaway_redis(settings, *, retry_seconds: float = 1) -> ThrowawayRedis:
    """A started ThrowawayRedis that the default cache now uses (pytest-django's `settings`
    restores the cache after the test), with the breaker skipping it `retry_seconds` after a
    failure. The caller kills it."""
    server = ThrowawayRedis().start()
    settings.REDIS_RETRY_SECONDS = retry_seconds
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": server.url},
    }
    return server
