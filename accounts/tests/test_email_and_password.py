from django.core import mail

from accounts.tests.factories import PASSWORD


def test_a_person_changes_their_password(client, user):
    client.force_login(user)
    assert client.get("/en/accounts/password/change/").status_code == 200
    response = client.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a brand new passphrase",
            "password2": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")


def test_a_person_changes_their_email_after_verifying_it(
    client, user, django_capture_on_commit_callbacks
):
    client.force_login(user)
    assert client.get("/en/accounts/email/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/accounts/email/", {"action_add": "", "email": "new.address@example.org"}
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new.address@example.org"]
    assert "confirm-email" in mail.outbox[-1].body


def test_a_too_big_avatar_gets_a_clear_message(client, user, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(user)
    big = SimpleUploadedFile("big.jpg", b"\xff" * (settings.IMAGE_UPLOAD_MAX_BYTES + 1))
    response = client.post("/en/account/profile/", {"name": "Big", "avatar": big})
    assert response.status_code == 400
    page = response.content.decode().replace("\xa0", " ")
    # Not "5.0 MB; the largest we accept is 5.0 MB": the size is rounded up.
    assert "The image is 5.1 MB; the largest we accept is 5 MB." in page
