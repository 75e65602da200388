"""Request bodies over the hub's limits: a 413 page, before the body is read."""

import socket
from urllib.parse import urlsplit

import pytest

PROFILE_URL = "/en/account/profile/"
HUGE = 300 * 1024 * 1024


def test_a_body_announced_too_large_is_refused_unread(client, user):
    """The test client's payload fails the test if more than its 5 bytes is read."""
    client.force_login(user)
    response = client.generic(
        "POST",
        PROFILE_URL,
        b"name=",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(HUGE),
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "What you sent is too large" in page
    assert "at most 12 MB in one go, and images of at most 5 MB each" in page


def test_form_fields_over_djangos_cap_get_the_413_page_too(client, user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(user)
    response = client.post(PROFILE_URL, {"name": "Ada", "bio": "x" * 2000})
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()


def test_a_body_at_the_limit_reaches_the_form(client, user, settings):
    settings.REQUEST_BODY_MAX_BYTES = 2000
    client.force_login(user)
    response = client.post(PROFILE_URL, {"name": "Ada", "bio": "x" * 1000})
    assert response.status_code in (200, 302)


def test_a_server_answers_413_before_the_body_is_sent(live_server, django_db_serialized_rollback):
    """Over a real socket: the answer comes while the client has sent only the headers."""
    address = urlsplit(live_server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(
            (
                f"POST {PROFILE_URL} HTTP/1.1\r\nHost: localhost\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {HUGE}\r\n\r\n--x\r\n"
            ).encode()
        )
        status_line = connection.makefile("rb").readline()
    assert status_line.split()[1] == b"413"


@pytest.mark.parametrize("accept", ["application/json", "*/*", "text/html"])
def test_an_api_client_gets_the_413_as_json(client, accept):
    response = client.generic(
        "POST",
        "/api/v1/organisations/",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(HUGE),
        HTTP_ACCEPT=accept,
    )
    assert response.status_code == 413
    assert "at most 12 MB in one go" in response.json()["detail"]
