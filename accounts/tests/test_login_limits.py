"""Failed log-ins: limited per address and per address and account, so a stranger's failures
never lock the owner out from elsewhere; only many failures from many places lock the account
itself, and then its owner is emailed a link that unlocks it."""

import re

from django.core import mail

from accounts import lockout
from accounts.tests.factories import PASSWORD

LOGIN_URL = "/en/accounts/login/"
TOO_MANY = "Too many failed login attempts"
LOCKED = "locked after too many failed log-ins"


def log_in(client, email, password, address):
    return client.post(LOGIN_URL, {"login": email, "password": password}, REMOTE_ADDR=address)


def fail_from_many_addresses(client, email, failures):
    """`failures` wrong passwords, five from each address (what one address may try)."""
    for n in range(failures):
        response = log_in(client, email, "wrong", f"192.0.2.{n // 5 + 1}")
        assert response.status_code == 200
        assert TOO_MANY not in response.content.decode()


def test_a_stranger_s_failures_do_not_lock_the_owner_out(client, user):
    for _ in range(5):
        log_in(client, user.email, "wrong", "203.0.113.66")
    # The stranger's address is refused for this account now, even with the right password...
    refused = log_in(client, user.email, PASSWORD, "203.0.113.66")
    assert TOO_MANY in refused.content.decode()
    # ...but the owner, elsewhere, is not.
    response = log_in(client, user.email, PASSWORD, "198.51.100.7")
    assert response.status_code == 302


def test_one_address_may_not_try_many_accounts(client, db):
    statuses = [
        TOO_MANY in log_in(client, f"p{n}@example.org", "wrong", "203.0.113.66").content.decode()
        for n in range(11)
    ]
    assert statuses == [False] * 10 + [True]


def test_many_failures_lock_the_account_and_its_owner_is_emailed_a_link(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fail_from_many_addresses(client, user.email.upper(), lockout.LOCK_AFTER_FAILURES)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "locked" in message.subject
    link = re.search(r"http://\S+/en/accounts/password/reset/key/\S+", message.body).group()
    # Locked: even the right password from a fresh address is refused, and not silently.
    response = log_in(client, user.email, PASSWORD, "198.51.100.7")
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    # More failures do not email the owner again.
    with django_capture_on_commit_callbacks(execute=True):
        log_in(client, user.email, "wrong", "198.51.100.8")
    assert len(mail.outbox) == 1
    # The link lets the owner choose a new password, which unlocks the account.
    path = link.removeprefix("http://127.0.0.1:8000")
    form_url = client.get(path, REMOTE_ADDR="198.51.100.7")["Location"]
    new = "a brand new passphrase 2026"
    response = client.post(
        form_url, {"password1": new, "password2": new}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302
    client.logout()
    assert log_in(client, user.email, new, "198.51.100.9").status_code == 302


def test_an_address_without_an_account_locks_alike_and_nobody_is_emailed(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fail_from_many_addresses(client, "nobody@example.org", lockout.LOCK_AFTER_FAILURES)
    response = log_in(client, "nobody@example.org", "wrong", "198.51.100.7")
    assert LOCKED in response.content.decode()
    assert mail.outbox == []
