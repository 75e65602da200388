"""The newsletter's pages (newsletter.views): signing up with double opt-in, the signed links
to confirm, change preferences and unsubscribe, and the rate limit."""

import pytest
from django.core import mail
from django.test import Client

from core.models import OutgoingEmail
from directory.models import Country
from directory.models import SocialArea
from newsletter import links
from newsletter.models import Subscriber
from newsletter.models import SubscriberStatus
from newsletter.tests.helpers import SIGN_UP_URL
from newsletter.tests.helpers import THANKS_URL
from newsletter.tests.helpers import link_in_last_email
from newsletter.tests.helpers import sign_up_data
from newsletter.tests.helpers import subscriber
from newsletter.views import SIGN_UPS_PER_HOUR


def test_the_sign_up_page_has_the_form(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):  # the vocabularies' tables, read once...
        client.get(SIGN_UP_URL)
    with django_assert_max_num_queries(0):  # ...then kept
        response = client.get(SIGN_UP_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Newsletter</h1>" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<label for="id_email">' in page
    assert "<legend>Social areas" in page
    assert "<legend>Kinds of content" in page
    assert "I want to receive the DSI Hub newsletter" in page
    assert '<div class="visually-hidden" aria-hidden="true"><label for="id_fax_number">' in page


def test_a_person_logged_in_finds_their_address_filled_in(client, user):
    client.force_login(user)
    page = client.get(SIGN_UP_URL).content.decode()
    assert f'value="{user.email}"' in page


def test_the_privacy_page_says_what_the_newsletter_keeps(client, db):
    page = client.get("/en/privacy/").content.decode()
    assert "If you subscribe to the newsletter" in page


def test_signing_up_sends_one_email_and_following_it_confirms(
    client, db, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    area = SocialArea.objects.first()
    spain = Country.objects.get(code="ES")
    client.get(SIGN_UP_URL)  # as a person does (and the vocabularies are read)
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(11):
        response = client.post(
            SIGN_UP_URL,
            sign_up_data(
                language="de",
                social_areas=[area.pk],
                countries=[spain.pk],
                content_kinds=["events", "funding"],
            ),
        )
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    pending = Subscriber.objects.get()
    assert pending.email == "Ada@Example.org"
    assert pending.status == SubscriberStatus.PENDING
    assert pending.language == "de"
    assert list(pending.social_areas.all()) == [area]
    assert list(pending.countries.all()) == [spain]
    assert pending.content_kinds == ["events", "funding"]
    assert pending.consent_text.startswith("I want to receive the DSI Hub newsletter")
    assert pending.consent_at is not None
    # Through the outgoing queue, in the language chosen, with the link.
    assert OutgoingEmail.objects.count() == 1
    [sent] = mail.outbox
    assert sent.to == ["Ada@Example.org"]
    link = link_in_last_email()
    assert link.startswith("/de/newsletter/confirm/")

    # Opening the link (as a mail scanner would) only asks; the button confirms.
    page = client.get(link)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == SubscriberStatus.PENDING
    assert client.post(link).status_code == 200
    pending.refresh_from_db()
    assert pending.status == SubscriberStatus.CONFIRMED
    assert pending.confirmed_at is not None
    # Following it again is harmless.
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 200


def test_an_address_is_unique_whatever_its_case(client, db, django_capture_on_commit_callbacks):
    subscriber(email="ada@example.org", status=SubscriberStatus.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGN_UP_URL, sign_up_data(email="ADA@example.org"))
    assert response["Location"] == THANKS_URL
    assert Subscriber.objects.count() == 1
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED
    assert not mail.outbox  # confirmed already: nothing to confirm


@pytest.mark.parametrize("status", [SubscriberStatus.PENDING, SubscriberStatus.UNSUBSCRIBED])
def test_signing_up_again_sends_the_link_again_and_says_the_same(
    client, db, status, django_capture_on_commit_callbacks
):
    known = subscriber(status=status)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(SIGN_UP_URL, sign_up_data(language="fr"), follow=True)
        new = client.post(SIGN_UP_URL, sign_up_data(email="new@example.org"), follow=True)
    assert again.content == new.content
    assert again.redirect_chain == [(THANKS_URL, 302)]
    known.refresh_from_db()
    assert known.status == SubscriberStatus.PENDING
    assert known.language == "fr"
    assert [sent.to for sent in mail.outbox] == [["ada@example.org"], ["new@example.org"]]


def test_a_bad_sign_up_gets_the_form_back(client, db):
    response = client.post(SIGN_UP_URL, sign_up_data(email="not an address", consent=""))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email", "consent"}
    assert "error-summary" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_kept(client, db):
    response = client.post(SIGN_UP_URL, sign_up_data(fax_number="+1 555 0100"))
    assert response["Location"] == THANKS_URL
    assert not Subscriber.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_sign_ups_are_rate_limited_per_client_address(client, db):
    statuses = [
        client.post(SIGN_UP_URL, sign_up_data(email=f"p{n}@example.org")).status_code
        for n in range(SIGN_UPS_PER_HOUR + 1)
    ]
    assert statuses == [302] * SIGN_UPS_PER_HOUR + [429]
    assert Subscriber.objects.count() == SIGN_UPS_PER_HOUR
    assert client.post(SIGN_UP_URL, sign_up_data(), REMOTE_ADDR="192.0.2.9").status_code == 302


def test_the_form_needs_its_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post(SIGN_UP_URL, sign_up_data()).status_code == 403
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("name", ["confirm", "preferences", "unsubscribe"])
def test_a_broken_link_gets_a_clear_400_page(client, db, name):
    someone = subscriber()
    other_salt = links.manage_token(someone) if name == "confirm" else links.confirm_token(someone)
    for token in ("nonsense", links.manage_token(someone)[:-2] + "xx", other_salt):
        response = client.get(f"/en/newsletter/{name}/{token}/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()


def test_an_expired_confirmation_link_is_refused(client, db, settings, monkeypatch):
    someone = subscriber()
    token = links.confirm_token(someone)
    monkeypatch.setattr(links, "CONFIRM_MAX_AGE", -1)
    assert client.get(f"/en/newsletter/confirm/{token}/").status_code == 400
    someone.refresh_from_db()
    assert someone.status == SubscriberStatus.PENDING


def test_a_link_to_an_address_forgotten_is_refused(client, db):
    someone = subscriber()
    token = links.manage_token(someone)
    someone.delete()
    assert client.get(f"/en/newsletter/preferences/{token}/").status_code == 400


def test_an_old_confirmation_link_does_not_subscribe_again(client, db):
    someone = subscriber(status=SubscriberStatus.UNSUBSCRIBED)
    link = f"/en/newsletter/confirm/{links.confirm_token(someone)}/"
    assert client.get(link).status_code == 400
    assert client.post(link).status_code == 400
    someone.refresh_from_db()
    assert someone.status == SubscriberStatus.UNSUBSCRIBED


def test_preferences_change_through_the_signed_link(client, db):
    someone = subscriber(status=SubscriberStatus.CONFIRMED, content_kinds=["events"])
    area = SocialArea.objects.first()
    url = links.preferences_url(someone).removeprefix("http://testserver")
    url = url[url.index("/en/") :]
    page = client.get(url)
    assert page.status_code == 200
    assert "ada@example.org" in page.content.decode()
    response = client.post(
        url,
        {"language": "ca", "social_areas": [area.pk], "content_kinds": ["stories", "funding"]},
        follow=True,
    )
    assert response.redirect_chain == [(url, 302)]
    assert "Your preferences are saved." in response.content.decode()
    someone.refresh_from_db()
    assert someone.language == "ca"
    assert someone.content_kinds == ["funding", "stories"]
    assert list(someone.social_areas.all()) == [area]
    assert someone.status == SubscriberStatus.CONFIRMED


def test_one_click_unsubscribe_by_post_with_no_cookies(db):
    someone = subscriber(status=SubscriberStatus.CONFIRMED)
    headers = links.unsubscribe_headers(someone)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = headers["List-Unsubscribe"].strip("<>")
    path = url[url.index("/en/") :]
    # What a mail client sends: no cookie, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not client.cookies
    someone.refresh_from_db()
    assert someone.status == SubscriberStatus.UNSUBSCRIBED
    first = someone.unsubscribed_at
    assert first is not None
    assert (
        client.post(path, "List-Unsubscribe=One-Click", content_type="text/plain").status_code
        == 200
    )
    someone.refresh_from_db()
    assert someone.unsubscribed_at == first


def test_the_unsubscribe_link_asks_before_it_acts(client, db):
    someone = subscriber(status=SubscriberStatus.CONFIRMED)
    response = client.get(f"/en/newsletter/unsubscribe/{links.manage_token(someone)}/")
    assert response.status_code == 200
    assert "Stop sending the newsletter to ada@example.org?" in response.content.decode()
    someone.refresh_from_db()
    assert someone.status == SubscriberStatus.CONFIRMED


def test_the_site_links_to_the_newsletter_without_a_form(client, db):
    for path in ("/en/", "/en/about/"):
        page = client.get(path).content.decode()
        assert f'href="{SIGN_UP_URL}"' in page, path
    assert 'name="csrfmiddlewaretoken"' not in client.get("/en/").content.decode()


@pytest.mark.worker
def test_double_opt_in_end_to_end_with_a_real_worker(client, celery_worker):
    import time

    response = client.post(SIGN_UP_URL, sign_up_data(email="reader@example.org", language="it"))
    assert response["Location"] == THANKS_URL
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    [sent] = mail.outbox
    assert sent.to == ["reader@example.org"]
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    link = link_in_last_email()
    assert link.startswith("/it/newsletter/confirm/")
    assert client.post(link).status_code == 200
    assert Subscriber.objects.confirmed().get().email == "reader@example.org"
