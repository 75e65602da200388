import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User

SIGNUP_URL = "/en/accounts/signup/"


def signup_data(**overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "password1": "analytical engine 1843",
        "password2": "analytical engine 1843",
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def test_signup_creates_an_account_records_consent_and_sends_a_verification(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP_URL, signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert user.name == "Ada Lovelace"
    assert user.slug == "ada-lovelace"
    assert user.terms_accepted_at is not None
    assert len(mail.outbox) == 1
    assert re.search(r"/en/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body)


def test_signup_without_accepting_the_terms_is_refused(client, db):
    response = client.post(SIGNUP_URL, signup_data(accept_terms=""))
    assert response.status_code == 200
    assert response.context["form"].errors["accept_terms"]
    assert not User.objects.exists()


def test_weak_passwords_are_refused(client, db):
    response = client.post(SIGNUP_URL, signup_data(password1="password", password2="password"))
    errors = response.context["form"].errors["password1"]
    assert any("too short" in error or "too common" in error for error in errors)
    assert not User.objects.exists()


def test_a_bot_filling_the_honeypot_gets_no_account_and_is_not_told_an_email_was_sent(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP_URL, signup_data(phone_number="+1 555 0100"))
    # The same form back, with a neutral message: no "we sent you an email" page.
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "We could not create your account. Please check the form and send it again."
    ]
    page = response.content.decode()
    assert reverse("account_email_verification_sent") not in page
    assert "+1 555 0100" not in page  # the trap is empty again for the next try
    assert not User.objects.exists()
    assert not mail.outbox


def test_the_honeypot_is_hidden_where_it_stands_not_moved_off_the_page(client, db):
    page = client.get(SIGNUP_URL).content.decode()
    assert "99999" not in page
    field = re.search(r"<div[^>]*>\s*<label for=\"id_phone_number\">.*?</div>", page, re.S)
    assert field is not None
    assert 'aria-hidden="true"' in field.group(0)
    assert re.search(r"<input[^>]*name=\"phone_number\"[^>]*>", field.group(0)).group(0) == (
        '<input type="text" name="phone_number" autocomplete="off" tabindex="-1" '
        'aria-hidden="true" hidden id="id_phone_number">'
    )


def test_two_people_with_one_name_get_two_profile_addresses(client, db):
    client.post(SIGNUP_URL, signup_data())
    client.post(SIGNUP_URL, signup_data(email="ada2@example.org"))
    slugs = sorted(User.objects.values_list("slug", flat=True))
    assert slugs == ["ada-lovelace", "ada-lovelace-2"]


def test_the_same_email_in_another_case_cannot_sign_up_twice(client, db):
    client.post(SIGNUP_URL, signup_data())
    response = client.post(SIGNUP_URL, signup_data(email="ADA@example.org"))
    assert User.objects.count() == 1
    assert response.status_code in (200, 302)


def test_signup_is_rate_limited(client, db):
    statuses = [
        client.post(SIGNUP_URL, signup_data(email=f"p{n}@example.org")).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    assert User.objects.count() == 10


def test_login_needs_a_verified_email(client, db):
    client.post(SIGNUP_URL, signup_data())
    client.logout()
    response = client.post(
        "/en/accounts/login/", {"login": "ada@example.org", "password": "analytical engine 1843"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_login_is_case_insensitive_and_goes_to_the_profile(client, user):
    response = client.post(
        "/en/accounts/login/",
        {"login": user.email.upper(), "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile_edit")


def test_failed_logins_are_rate_limited(client, user):
    for _ in range(5):
        response = client.post("/en/accounts/login/", {"login": user.email, "password": "wrong"})
        assert "Too many failed login attempts" not in response.content.decode()
    # Locked out for a while now, even with the right password.
    response = client.post(
        "/en/accounts/login/", {"login": user.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.worker
def test_a_real_worker_delivers_the_verification_email(client, celery_worker):
    import time

    response = client.post(SIGNUP_URL, signup_data())
    assert response.status_code == 302
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    assert "confirm-email" in mail.outbox[0].body
