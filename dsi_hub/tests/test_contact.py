"""The contact page (dsi_hub.views_contact, dsi_hub.contact): a message to the admins through the
outgoing queue, rate limited, with a honeypot; the operator on the privacy page."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import OutgoingEmail
from dsi_hub.contact import CONTACT_MESSAGES_PER_HOUR

CONTACT_URL = "/en/contact/"
THANKS_URL = "/en/contact/thanks/"


def message(**overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "subject": "A correction",
        "message": "The address of our lab has changed.\nIt is now 12 Engine Street.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admins(db):
    community = Group.objects.get(name=COMMUNITY_ADMINS)
    admin = UserFactory(email="admin@example.org", is_staff=True)
    admin.groups.add(community)
    UserFactory(email="member@example.org")  # not an admin: never written to
    return [admin, UserFactory(email="root@example.org", is_superuser=True, is_staff=True)]


def test_the_contact_page_has_the_form_and_the_operator(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(CONTACT_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Contact us</h1>" in page
    for name in ("name", "email", "subject", "message"):
        assert f'<label for="id_{name}">' in page
    assert 'name="csrfmiddlewaretoken"' in page
    # The honeypot is there for bots, hidden from people and screen readers.
    assert '<div class="visually-hidden" aria-hidden="true"><label for="id_fax_number">' in page
    assert 'href="mailto:hello@dsi-hub.eu"' in page


def test_a_message_reaches_the_admins_through_the_queue(
    client, admins, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONTACT_URL, message())
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    # Queued (stored, then delivered by the task), never sent inline.
    queued = OutgoingEmail.objects.get()
    assert queued.message["to"] == ["admin@example.org", "root@example.org"]
    assert queued.message["reply_to"] == ["ada@example.org"]
    [sent] = mail.outbox
    assert sent.subject == "[DSI Hub contact] A correction"
    assert "From: Ada Lovelace <ada@example.org>" in sent.body
    assert "It is now 12 Engine Street." in sent.body
    thanks = client.get(THANKS_URL)
    assert "Thank you for your message" in thanks.content.decode()


def test_without_admins_the_operator_gets_the_message(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.OPERATOR_EMAIL = "office@hub.example"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONTACT_URL, message())
    assert [sent.to for sent in mail.outbox] == [["office@hub.example"]]


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_sent(
    client, admins, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONTACT_URL, message(fax_number="+1 555 0100"))
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    assert not OutgoingEmail.objects.exists()
    assert not mail.outbox


def test_a_subject_cannot_add_mail_headers(client, admins, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CONTACT_URL,
            message(name="Ada\nLovelace", subject="Hello\r\nBcc: everyone@example.org"),
        )
    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.subject == "[DSI Hub contact] HelloBcc: everyone@example.org"
    assert sent.bcc == []


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"email": "not an address"}, "email", "Enter a valid email address."),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "\x00"}, "name", "This field is required."),
        ({"subject": "\n\t"}, "subject", "This field is required."),
        ({"message": "x" * 5001}, "message", "at most 5000 characters"),
        ({"message": "a\x00b"}, "message", "Null characters are not allowed."),
    ],
)
def test_bad_input_gets_the_form_back_with_a_message(client, admins, overrides, field, error):
    response = client.post(CONTACT_URL, message(**overrides))
    assert response.status_code == 400
    assert any(error in text for text in response.context["form"].errors[field])
    assert not OutgoingEmail.objects.exists()


def test_the_form_needs_its_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post(CONTACT_URL, message()).status_code == 403
    assert not OutgoingEmail.objects.exists()


def test_messages_are_rate_limited_per_client_address(client, admins):
    statuses = [
        client.post(CONTACT_URL, message(subject=f"Message {n}")).status_code
        for n in range(CONTACT_MESSAGES_PER_HOUR + 1)
    ]
    assert statuses == [302] * CONTACT_MESSAGES_PER_HOUR + [429]
    assert OutgoingEmail.objects.count() == CONTACT_MESSAGES_PER_HOUR
    # Another address may still write.
    other = client.post(CONTACT_URL, message(), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302


def test_behind_a_proxy_messages_are_limited_per_client_not_per_proxy(client, admins, settings):
    # Every request comes from the proxy (one REMOTE_ADDR); the client is the address it appends.
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = [
        client.post(
            CONTACT_URL,
            message(subject=f"Message {n}"),
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.1",
        ).status_code
        for n in range(CONTACT_MESSAGES_PER_HOUR + 1)
    ]
    assert statuses == [302] * CONTACT_MESSAGES_PER_HOUR + [429]
    other = client.post(CONTACT_URL, message(), HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert other.status_code == 302


def test_only_get_and_post(client, db):
    assert client.put(CONTACT_URL).status_code == 405
    assert client.post(THANKS_URL).status_code == 405


def test_the_privacy_page_names_the_operator_as_data_controller(client, db, settings):
    settings.OPERATOR_NAME = "Nesta Italia"
    settings.OPERATOR_EMAIL = "privacy@hub.example"
    settings.OPERATOR_ADDRESS = "Via Roma 1\n10100 Torino"
    page = client.get("/en/privacy/").content.decode()
    assert "The data controller" in page
    assert "<strong>Nesta Italia</strong><br>Via Roma 1<br>10100 Torino<br>" in page
    assert 'href="mailto:privacy@hub.example"' in page
    assert f'<a href="{CONTACT_URL}">contact us</a>' in page


def test_the_site_points_to_the_contact_page(client, db):
    for path in ("/en/", "/en/about/", "/en/privacy/"):
        assert f'href="{CONTACT_URL}"' in client.get(path).content.decode(), path
