"""The newsletter's beat task: addresses never confirmed are forgotten after a week."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

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


def test_the_purge_is_scheduled_daily(db):
    entry = settings.CELERY_BEAT_SCHEDULE["newsletter-unconfirmed-purge"]
    assert entry["task"] == newsletter_unconfirmed_purge.name
