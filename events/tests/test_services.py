"""Submitting, moderating and editing events, with their history and the version of caches."""

import datetime as dt

import pytest
import reversion
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Status
from directory.models import SocialArea
from events.models import Event
from events.models import EventOccurrence
from events.services import LIFECYCLE
from events.services import events_version


def fields(**overrides):
    start = (timezone.now() + dt.timedelta(days=10)).replace(microsecond=0)
    return {
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=3),
        "city": "Milano",
        "description": '<p onclick="x()">Open <script>alert(1)</script>hardware</p>',
        **overrides,
    }


@pytest.fixture
def moderator(db):
    from events.tests.factories import community_admin

    return community_admin()


def test_an_event_goes_from_draft_to_published(user, moderator, django_capture_on_commit_callbacks):
    health = SocialArea.objects.get(slug="health-and-care")
    event = LIFECYCLE.create(
        user=user,
        title="Open hardware for care",
        fields=fields(recurrence="freq=weekly;count=3"),
        relations={"social_areas": [health]},
    )
    assert event.status == Status.DRAFT and event.slug == "open-hardware-for-care"
    assert event.description == "<p>Open hardware</p>"
    assert event.recurrence == "FREQ=WEEKLY;COUNT=3"
    assert EventOccurrence.objects.filter(event=event).count() == 3
    assert f"area:{health.pk}" in event.facet_keys
    assert not Event.objects.published().exists()
    LIFECYCLE.submit(event, user=user)
    assert event.status == Status.PENDING
    before = events_version()
    with django_capture_on_commit_callbacks(execute=True):
        LIFECYCLE.approve(event, moderator=moderator)
    assert Event.objects.published().upcoming().get() == event
    assert events_version() != before
    assert "is now published" in mail.outbox[-1].subject
    assert len(reversion.models.Version.objects.get_for_object(event)) == 3


def test_a_rejected_event_tells_its_author_why_and_can_be_resubmitted(
    user, moderator, django_capture_on_commit_callbacks
):
    event = LIFECYCLE.create(user=user, title="Spam fest", fields=fields())
    LIFECYCLE.submit(event, user=user)
    with pytest.raises(ValidationError):
        LIFECYCLE.reject(event, moderator=moderator, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        LIFECYCLE.reject(event, moderator=moderator, reason="Not about social innovation.")
    assert event.status == Status.REJECTED
    assert "Not about social innovation." in mail.outbox[-1].body
    LIFECYCLE.submit(event, user=user)
    assert event.status == Status.PENDING and event.rejection_reason == ""


def test_only_its_author_or_a_community_admin_may_change_an_event(user, moderator):
    from accounts.tests.factories import UserFactory

    event = LIFECYCLE.create(user=user, title="Hack night", fields=fields())
    with pytest.raises(PermissionDenied):
        LIFECYCLE.update(event, user=UserFactory(), fields={"title": "Mine now"})
    with pytest.raises(PermissionDenied):  # staff without the events' permissions
        LIFECYCLE.update(event, user=UserFactory(is_staff=True), fields={"city": "Bari"})
    LIFECYCLE.update(event, user=moderator, fields={"city": "Torino"})
    assert Event.objects.get(pk=event.pk).city == "Torino"


def test_an_end_before_the_start_is_refused(user):
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        LIFECYCLE.create(
            user=user,
            title="Backwards",
            fields={"starts_at": start, "ends_at": start - dt.timedelta(hours=1)},
        )
    assert not Event.objects.exists()


def test_approving_twice_is_refused(user, moderator):
    event = LIFECYCLE.create(user=user, title="Once", fields=fields())
    with pytest.raises(ValidationError):
        LIFECYCLE.approve(event, moderator=moderator)


def test_archiving_takes_a_published_event_out_of_view(user, moderator):
    event = LIFECYCLE.create(user=user, title="Gone soon", fields=fields())
    LIFECYCLE.submit(event, user=user)
    LIFECYCLE.approve(event, moderator=moderator)
    LIFECYCLE.archive(event, user=user)
    assert not Event.objects.published().exists()


def test_past_and_upcoming(db, user):
    past = LIFECYCLE.create(
        user=user,
        title="Last year",
        fields=fields(
            starts_at=timezone.now() - dt.timedelta(days=400),
            ends_at=timezone.now() - dt.timedelta(days=399),
        ),
        status=Status.PUBLISHED,
    )
    coming = LIFECYCLE.create(
        user=user, title="Next week", fields=fields(), status=Status.PUBLISHED
    )
    assert list(Event.objects.published().upcoming()) == [coming]
    assert list(Event.objects.published().past()) == [past]
