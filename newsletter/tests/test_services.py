"""The newsletter's services: the purge's week restarting, confirmation mail limits, and who
may be mailed."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from newsletter import services
from newsletter.models import Subscriber
from newsletter.models import SubscriberStatus
from newsletter.tests.helpers import subscriber


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
