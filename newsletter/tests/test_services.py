"""The newsletter's services and task: confirmation mail limits, and the purge of addresses
never confirmed."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from newsletter import services
from newsletter.models import Subscriber
from newsletter.models import SubscriberStatus
from newsletter.tasks import newsletter_unconfirmed_purge
from newsletter.tests.helpers import subscriber


def test_the_purge_forgets_only_week_old_pending_addresses(db):
    now = timezone.now()
    old = now - timedelta(days=7, minutes=1)
    subscriber("old@example.org", consent_at=old)
    subscriber("new@example.org", consent_at=now - timedelta(days=6))
    subscriber("kept@example.org", consent_at=old, status=SubscriberStatus.CONFIRMED)
    subscriber("gone@example.org", consent_at=old, status=SubscriberStatus.UNSUBSCRIBED)
    assert newsletter_unconfirmed_purge.apply().get() == 1
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "gone@example.org",
        "kept@example.org",
        "new@example.org",
    ]
    # Safe to run twice.
    assert newsletter_unconfirmed_purge.apply().get() == 0
    assert Subscriber.objects.count() == 3


def test_signing_up_again_restarts_the_week(db, django_capture_on_commit_callbacks):
    subscriber("ada@example.org", consent_at=timezone.now() - timedelta(days=8))
    services.subscriber_sign_up(email="ada@example.org", language="en", consent_text="Yes.")
    assert services.subscribers_purge_unconfirmed() == 0


def test_one_address_gets_a_few_confirmations_an_hour_at_most(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(services.CONFIRMATIONS_PER_ADDRESS_HOUR + 2):
            services.subscriber_sign_up(
                email="victim@example.org", language="en", consent_text="Yes."
            )
    assert len(mail.outbox) == services.CONFIRMATIONS_PER_ADDRESS_HOUR


def test_only_confirmed_addresses_are_to_be_mailed(db):
    subscriber("a@example.org")
    subscriber("b@example.org", status=SubscriberStatus.CONFIRMED)
    subscriber("c@example.org", status=SubscriberStatus.SUSPENDED)
    assert list(Subscriber.objects.confirmed().values_list("email", flat=True)) == ["b@example.org"]
