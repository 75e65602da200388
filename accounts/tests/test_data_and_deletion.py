import json

from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage

from accounts.models import User
from accounts.tests.images import jpeg_with_exif


def test_a_person_downloads_all_their_data(client, user):
    client.force_login(user)
    assert client.get("/en/account/data/").status_code == 200
    response = client.post("/en/account/data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment;" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["account"]["email_addresses"] == [
        {"email": user.email, "verified": True, "primary": True}
    ]
    assert data["profile"]["name"] == user.name


def test_deleting_needs_the_right_email(client, user):
    client.force_login(user)
    response = client.post("/en/account/delete/", {"confirm_email": "someone@else.org"})
    assert response.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()


def test_deleting_removes_personal_data(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    client.post(
        "/en/account/profile/",
        {"name": "To Be Deleted", "avatar": jpeg_with_exif(), "languages": []},
    )
    user.refresh_from_db()
    avatar = user.avatar.name
    assert default_storage.exists(avatar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/account/delete/", {"confirm_email": user.email.upper()})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert not default_storage.exists(avatar)
    assert client.get("/en/account/profile/").status_code == 302  # logged out
