"""The directory's Celery tasks."""

import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from directory.tasks import moderation_digest_send
from directory.tests.factories import OrganisationFactory


def moderator(email):
    person = UserFactory(email=email, is_staff=True)
    person.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return person


def test_the_digest_runs_daily_on_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["moderation-digest"]
    assert entry["task"] == "directory.tasks.moderation_digest_send"
    assert entry["schedule"].hour == {7}
    assert moderation_digest_send.name == entry["task"]


def test_the_digest_task_emails_moderators(db, django_capture_on_commit_callbacks):
    moderator("mod@example.org")
    OrganisationFactory(name="Waiting", status=Status.PENDING, submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        moderation_digest_send.delay()  # queued when the transaction commits
    assert [message.to for message in mail.outbox] == [["mod@example.org"]]
    assert "Waiting" in mail.outbox[0].body


def test_the_digest_task_sends_nothing_for_an_empty_queue(db):
    moderator("mod@example.org")
    assert moderation_digest_send.apply().get() == 0
    assert not mail.outbox


@pytest.mark.worker
def test_a_real_worker_delivers_the_digest(celery_worker):
    moderator("mod@example.org")
    OrganisationFactory(name="Queued Org", status=Status.PENDING, submitted_at=timezone.now())
    moderation_digest_send.delay()
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mod@example.org"]
    assert "Queued Org" in mail.outbox[0].body
