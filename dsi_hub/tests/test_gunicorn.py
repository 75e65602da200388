"""gunicorn.conf.py under a real gunicorn: a body over the hub's limit is answered 413 and the
connection closed, not read through to keep it open (the README's proxy does the same first)."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
HUGE = 300 * 1024 * 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_port(db):
    port = _free_port()
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dsi_hub.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],
        "WEB_CONCURRENCY": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "dsi_hub.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=BASE_DIR,
        env=environment,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "gunicorn stopped at start"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not listen within 60 s"
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _read_head(stream) -> tuple[bytes, dict[str, str]]:
    status = stream.readline()
    headers = {}
    while (line := stream.readline().strip()) != b"":
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


def test_a_body_over_the_limit_gets_413_and_the_connection_closes_unread(gunicorn_port):
    with socket.create_connection(("127.0.0.1", gunicorn_port), timeout=10) as client:
        client.sendall(
            (
                "POST /en/account/profile/ HTTP/1.1\r\nHost: localhost\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {HUGE}\r\n\r\n--x\r\n"
            ).encode()
            + b"x" * 65536
        )
        stream = client.makefile("rb")
        status, headers = _read_head(stream)
        assert status.split()[1] == b"413"
        assert headers["connection"] == "close"
        # Closed at once: the worker does not wait for the other 300 MB to throw them away (a
        # connection left open would time the read out).
        client.settimeout(3)
        assert b"What you sent is too large" in stream.read()


def test_a_body_within_the_limit_keeps_the_connection_open(gunicorn_port):
    with socket.create_connection(("127.0.0.1", gunicorn_port), timeout=10) as client:
        stream = client.makefile("rb")
        for _ in range(2):  # one connection, two requests
            client.sendall(
                b"POST /en/contact/ HTTP/1.1\r\nHost: localhost\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 5\r\n\r\nname="
            )
            status, headers = _read_head(stream)
            stream.read(int(headers["content-length"]))
            assert status.split()[1] == b"403"  # no CSRF token: refused, but answered
            assert headers["connection"] == "keep-alive"


def test_an_api_address_too_long_for_the_hub_gets_its_json_414(gunicorn_port):
    """Longer than REQUEST_URI_MAX_LENGTH (4,000) but within gunicorn's request line (8,190):
    answered by the hub, as the API's schema documents, under the site's policies."""
    with socket.create_connection(("127.0.0.1", gunicorn_port), timeout=10) as client:
        client.sendall(
            f"GET /api/v1/organisations/?q={'a' * 5000} HTTP/1.0\r\nHost: localhost\r\n"
            "\r\n".encode()
        )
        stream = client.makefile("rb")
        status, headers = _read_head(stream)
        body = json.loads(stream.read())
    assert status.split()[1] == b"414"
    assert headers["content-type"] == "application/json"
    assert "The address is too long" in body["detail"]
    assert "default-src 'self'" in headers["content-security-policy"]
