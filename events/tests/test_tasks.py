"""The nightly task that keeps open-ended series going."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from core.models import Status
from events.models import EventOccurrence
from events.services import LIFECYCLE
from events.services import events_extend_series
from events.tasks import events_series_extend


def test_the_horizon_moves_on_for_endless_series(user):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=30)
    weekly = LIFECYCLE.create(
        user=user,
        title="Weekly hack night",
        fields={
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=3),
            "recurrence": "FREQ=WEEKLY",
        },
        status=Status.PUBLISHED,
    )
    last = EventOccurrence.objects.filter(event=weekly).latest("starts_at").starts_at
    assert events_extend_series(now=timezone.now() + dt.timedelta(days=60)) == 1
    later = EventOccurrence.objects.filter(event=weekly).latest("starts_at").starts_at
    assert later >= last + dt.timedelta(days=56)
    weekly.refresh_from_db()
    assert weekly.last_ends_at == later + dt.timedelta(hours=3)


def test_the_task_is_scheduled_nightly(db):
    entry = settings.CELERY_BEAT_SCHEDULE["events-series-extend"]
    assert entry["task"] == events_series_extend.name
    assert events_series_extend.apply().get() == 0  # nothing repeats yet
