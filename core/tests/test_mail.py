import pytest
from django.core import mail
from django.db import transaction

from core import outbox as services
from core.models import OutgoingEmail
from core.tasks import outgoing_email_send
from core.tests.smtp_sink import message_fields
from dsi_hub.celery import app


def _queue_length() -> int:
    """Messages waiting in the default queue, read over Celery's own broker connection."""
    with app.connection_for_write() as connection:
        return connection.default_channel.client.llen("celery")


def _empty_queue() -> None:
    with app.connection_for_write() as connection:
        connection.default_channel.client.delete("celery")


@pytest.fixture
def broker():
    """Tasks go to the real Redis broker (not run in-process) for the length of a test."""
    _empty_queue()
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True
    _empty_queue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_is_not_sent_before_its_transaction_commits(broker):
    with transaction.atomic():
        result = outgoing_email_send.delay(12345)
        assert _queue_length() == 0
    assert _queue_length() == 1
    assert result.id  # callers get a handle at once


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_a_task_is_sent_at_once(broker):
    # Celery beat sends tasks this way and logs the id it gets back.
    result = app.tasks["dsi_hub.tasks.outgoing_email_purge"].apply_async()
    assert result.id
    assert _queue_length() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_change_sends_no_mail(broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.send_mail("Hello", "Body", None, ["someone@example.org"])
        raise RuntimeError("the change fails")
    assert OutgoingEmail.objects.count() == 0
    assert _queue_length() == 0


def test_mail_is_stored_then_delivered_by_the_task(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_mail("Hello", "Body", None, ["someone@example.org"], html_message="<p>Body</p>")
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Hello"
    assert mail.outbox[0].alternatives[0].content == "<p>Body</p>"


def test_delivering_twice_sends_once(db):
    email = OutgoingEmail.objects.create(message=message_fields(subject="Once", body="Only once"))
    assert services.outgoing_email_send(email_id=email.pk) is True
    assert services.outgoing_email_send(email_id=email.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_delivery_is_recorded_and_can_be_retried(db, settings):
    settings.EMAIL_DELIVERY_BACKEND = "core.tests.test_mail.FailingBackend"
    email = OutgoingEmail.objects.create(message=message_fields(subject="x", body=""))
    assert services.outgoing_email_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert "ConnectionRefusedError" in email.last_error
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.outgoing_email_send(email_id=email.pk) is True
    email.refresh_from_db()
    assert email.attempts == 2


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_purge_deletes_old_sent_mail_only(db):
    from django.utils import timezone

    old = OutgoingEmail.objects.create(
        message=message_fields(subject="old", body=""),
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now() - timezone.timedelta(days=40),
    )
    recent = OutgoingEmail.objects.create(
        message=message_fields(subject="new", body=""),
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
    )
    assert services.outgoing_email_purge() == 1
    assert not OutgoingEmail.objects.filter(pk=old.pk).exists()
    assert OutgoingEmail.objects.filter(pk=recent.pk).exists()
