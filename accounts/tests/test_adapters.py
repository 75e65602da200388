"""Account emails (allauth) greet with the hub's name and link to the hub's address."""

import re

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/en/accounts/signup/"
RESET_URL = "/en/accounts/password/reset/"
SIGNUP = {
    "name": "Ada Lovelace",
    "email": "ada@example.org",
    "password1": "analytical engine 1843",
    "password2": "analytical engine 1843",
    "accept_terms": "on",
}


def _sign_up(client, captured, host):
    with captured(execute=True):
        response = client.post(SIGNUP_URL, SIGNUP, HTTP_HOST=host)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_in_development_the_sign_up_email_links_to_the_host_that_served_it(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    message = _sign_up(client, django_capture_on_commit_callbacks, "localhost:8101")
    assert re.search(r"http://localhost:8101/en/accounts/confirm-email/\S+/", message.body)
    assert "127.0.0.1:8000" not in message.body and "localhost:8000" not in message.body
    assert message.body.startswith("Hello from the DSI Hub!")
    assert "Hello from localhost" not in message.body
    assert "register an account on the DSI Hub" in message.body
    assert message.subject.startswith("[DSI Hub] ")


def test_with_site_url_set_the_sign_up_email_links_there_whatever_the_host(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hub.example.org"
    message = _sign_up(client, django_capture_on_commit_callbacks, "localhost:8101")
    assert re.search(r"https://hub\.example\.org/en/accounts/confirm-email/\S+/", message.body)
    assert "localhost" not in message.body
    assert message.body.startswith("Hello from the DSI Hub!")
    assert message.body.endswith("Thank you for using the DSI Hub!\nhttps://hub.example.org/")


def test_the_password_reset_email_follows_the_same_rule(
    client, settings, django_capture_on_commit_callbacks
):
    UserFactory(email="grace@example.org")
    settings.SITE_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET_URL, {"email": "grace@example.org"}, HTTP_HOST="127.0.0.1:8101")
    body = mail.outbox[0].body
    assert re.search(r"http://127\.0\.0\.1:8101/en/accounts/password/reset/key/\S+/", body)
    assert body.startswith("Hello from the DSI Hub!")

    mail.outbox.clear()
    settings.SITE_URL = "https://hub.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET_URL, {"email": "grace@example.org"}, HTTP_HOST="127.0.0.1:8101")
    body = mail.outbox[0].body
    assert re.search(r"https://hub\.example\.org/en/accounts/password/reset/key/\S+/", body)
    assert "127.0.0.1" not in body
