"""Notices to moderators (core.notices): a short email a few minutes after something new waits
for review, one per burst, to the moderators who have not switched them off."""

import time

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from accounts.roles import COMMUNITY_ADMINS
from accounts.roles import EDITORIAL_ADMINS
from accounts.tests.factories import UserFactory
from core import notices
from core import tasks
from core.models import ModerationNotice
from core.models import Status
from directory.services.moderation import moderation_digest_send
from directory.services.moderation import report_create
from directory.tests.factories import OrganisationFactory
from events import services as event_services
from events.tests.factories import EventFactory
from funding import services as funding_services
from funding.tests.factories import OpportunityFactory


def moderator(email, **kwargs):
    person = UserFactory(email=email, is_staff=True, **kwargs)
    person.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return person


@pytest.fixture
def scheduled(monkeypatch):
    """The sends core.notices schedules, recorded instead of run (eager Celery ignores the
    countdown): their countdowns."""
    countdowns = []
    monkeypatch.setattr(
        tasks.moderation_notices_send,
        "apply_async",
        lambda *args, countdown=None, **kwargs: countdowns.append(countdown),
    )
    return countdowns


def submit_event(title):
    author = UserFactory()
    event = EventFactory(title=title, created_by=author, status=Status.DRAFT, published_at=None)
    event_services.LIFECYCLE.submit(event, user=author)
    return event


def submit_opportunity(title):
    author = UserFactory()
    opportunity = OpportunityFactory(
        title=title, created_by=author, status=Status.DRAFT, published_at=None
    )
    funding_services.LIFECYCLE.submit(opportunity, user=author)
    return opportunity


def submit_five(capture):
    """Five arrivals, each in its own transaction as five requests would be: events, funding,
    a profile (any service that puts a registered kind in the queue) and a visitor's report."""
    items = []
    for make in (
        lambda: submit_event("Meetup One"),
        lambda: submit_event("Meetup Two"),
        lambda: submit_opportunity("Grant Three"),
        lambda: OrganisationFactory(
            name="Lab Four",
            status=Status.PENDING,
            published_at=None,
            submitted_at=timezone.now(),
        ),
        lambda: report_create(profile=OrganisationFactory(name="Lab Five"), reason="spam"),
    ):
        with capture(execute=True):
            items.append(make())
    return items


def test_a_burst_of_five_arrivals_makes_one_email(
    db, scheduled, django_capture_on_commit_callbacks
):
    moderator("mod@example.org")
    UserFactory(email="editor@example.org", is_staff=True).groups.add(
        Group.objects.get(name=EDITORIAL_ADMINS)
    )
    UserFactory(email="someone@example.org")
    submit_five(django_capture_on_commit_callbacks)
    # One send scheduled for the whole burst, a few minutes on.
    assert scheduled == [notices.BATCH_SECONDS]
    assert ModerationNotice.objects.filter(sent_at__isnull=True).count() == 5
    assert not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.moderation_notices_send() == 1
    assert [message.to for message in mail.outbox] == [["mod@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "DSI Hub moderation: 5 new items wait for review"
    for title in ("Meetup One", "Meetup Two", "Grant Three", "Lab Four", "Lab Five"):
        assert title in message.body
    event = ModerationNotice.objects.get(title="Meetup One")
    assert f"/en/admin/events/event/{event.object_id}/change/" in message.body
    assert "/en/admin/directory/report/" in message.body
    assert "/en/admin/moderation/" in message.body
    assert "/en/account/profile/" in message.body

    # Safe to run twice: nothing is left to tell.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.moderation_notices_send() == 0
    assert len(mail.outbox) == 1
    # The next arrival schedules the next send.
    with django_capture_on_commit_callbacks(execute=True):
        submit_event("Meetup Six")
    assert scheduled == [notices.BATCH_SECONDS] * 2


def test_moderators_who_switched_notices_off_get_none(
    db, scheduled, django_capture_on_commit_callbacks
):
    moderator("on@example.org")
    moderator("off@example.org", moderation_notices=False)
    UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    submit_five(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.notices_send() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "on@example.org",
        "root@example.org",
    ]


def test_the_digest_still_goes_to_everyone(db, scheduled, django_capture_on_commit_callbacks):
    moderator("off@example.org", moderation_notices=False)
    submit_five(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        notices.notices_send()
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation_digest_send() == 1
    assert mail.outbox[0].to == ["off@example.org"]
    assert "Lab Four" in mail.outbox[0].body


def test_items_dealt_with_before_the_send_are_not_news(
    db, scheduled, django_capture_on_commit_callbacks
):
    moderator("mod@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = submit_event("Withdrawn Meetup")
    with django_capture_on_commit_callbacks(execute=True):
        submit_event("Still Waiting")
    withdrawn.status = Status.DRAFT
    withdrawn.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.notices_send() == 1
    assert "Still Waiting" in mail.outbox[0].body
    assert "Withdrawn Meetup" not in mail.outbox[0].body
    assert mail.outbox[0].subject == "DSI Hub moderation: 1 new item waits for review"


def test_saving_a_waiting_item_again_is_no_news(db, scheduled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = submit_event("Edited While Waiting")
    event.title = "Edited While Waiting, again"
    event.save()
    old = OrganisationFactory(status=Status.PENDING, published_at=None, submitted_at=None)
    old.submitted_at = timezone.now() - notices.FRESH * 2
    old.save()
    assert ModerationNotice.objects.count() == 1
    # Submitted again after a rejection: a new arrival.
    event.status = Status.REJECTED
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.LIFECYCLE.submit(event, user=event.created_by)
    assert ModerationNotice.objects.count() == 2


def test_a_send_that_dies_leaves_the_notices_for_the_next(
    db, scheduled, django_capture_on_commit_callbacks, monkeypatch
):
    moderator("mod@example.org")
    submit_five(django_capture_on_commit_callbacks)

    def worker_killed(*args, **kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(notices, "send_mail", worker_killed)
    with pytest.raises(SystemExit):
        notices.notices_send()
    assert ModerationNotice.objects.filter(sent_at__isnull=True).count() == 5
    monkeypatch.undo()
    # The periodic sweep leaves recent arrivals to their own send, and sends older ones.
    assert tasks.moderation_notices_sweep() == 0
    ModerationNotice.objects.update(created_at=timezone.now() - notices.SWEEP_AFTER * 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.moderation_notices_sweep() == 1
    assert len(mail.outbox) == 1
    assert "Meetup One" in mail.outbox[0].body


def test_a_long_burst_is_counted_not_listed(db, scheduled, django_capture_on_commit_callbacks):
    moderator("mod@example.org")
    for number in range(notices.LISTED_PER_KIND + 3):
        EventFactory(
            title=f"Bulk {number:02}",
            status=Status.PENDING,
            published_at=None,
            submitted_at=timezone.now(),
        )
    with django_capture_on_commit_callbacks(execute=True):
        notices.notices_send()
    body = mail.outbox[0].body
    assert "Bulk 00" in body
    assert f"Bulk {notices.LISTED_PER_KIND:02}" not in body
    assert "and 3 more: http" in body


def test_the_sweep_runs_on_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["moderation-notices-sweep"]
    assert entry["task"] == tasks.moderation_notices_sweep.name
    assert entry["schedule"] <= 10 * 60


@pytest.mark.worker
def test_a_real_worker_sends_one_email_for_a_burst(celery_worker, monkeypatch):
    monkeypatch.setattr(notices, "BATCH_SECONDS", 2)
    moderator("mod@example.org")
    for number in range(5):
        submit_event(f"Burst {number}")
    deadline = time.monotonic() + 25
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # anything more would have come by now
    assert len(mail.outbox) == 1
    assert all(f"Burst {number}" in mail.outbox[0].body for number in range(5))
    assert not ModerationNotice.objects.filter(sent_at__isnull=True).exists()
