from django.core import mail


def test_password_reset_sends_a_link_and_is_rate_limited(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/en/accounts/password/reset/key/" in mail.outbox[0].body
    statuses = [
        client.post("/en/accounts/password/reset/", {"email": user.email}).status_code
        for _ in range(5)
    ]
    assert 429 in statuses
