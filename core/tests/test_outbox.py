"""Delivery of outgoing email through a real SMTP server (core.tests.smtp_sink): one
Message-ID per row, failures recorded on the row, the sweeper, the health check's numbers."""

import threading
from contextlib import contextmanager

import pytest
from django.core import mail
from django.db import connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.mail import DELIVERY_LEASE
from core.models import OutgoingEmail
from core.tasks import outgoing_email_send
from core.tasks import outgoing_email_sweep
from core.tests.smtp_sink import SmtpSink
from core.tests.smtp_sink import message_fields
from core.tests.smtp_sink import smtp_delivery
from dsi_hub.celery import app

Status = OutgoingEmail.Status


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Django's mail API, as the hub uses it: a row, then the task after the commit."""

    def send(subject="Hello"):
        with django_capture_on_commit_callbacks(execute=True):
            mail.send_mail(subject, "Body", None, ["someone@example.org"])

    return send


def _after_lease():
    return timezone.now() + DELIVERY_LEASE + timezone.timedelta(seconds=1)


def test_each_row_has_its_message_id_on_the_site_domain(
    db, smtp_sink, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hub.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_mail("One", "Body", None, ["someone@example.org"])
        mail.send_mail("Two", "Body", None, ["someone@example.org"])
    first, second = OutgoingEmail.objects.order_by("pk")
    assert first.message_id.endswith("@hub.example.org>")
    assert first.message_id != second.message_id
    assert smtp_sink.message_ids() == [first.message_id, second.message_id]


@pytest.mark.parametrize("site_url", ["", "http://127.0.0.1:8000", "http://localhost:8000"])
def test_message_ids_never_name_localhost(db, settings, site_url, send):
    # Development: no public name of its own, so the sender's domain.
    settings.SITE_URL = site_url
    settings.DEFAULT_FROM_EMAIL = "DSI Hub <hello@dsi-hub.eu>"
    send()
    assert OutgoingEmail.objects.get().message_id.endswith("@dsi-hub.eu>")
    assert mail.outbox[0].message()["Message-ID"] == OutgoingEmail.objects.get().message_id


def test_a_header_with_a_line_break_fails_the_row_with_its_reason(db):
    # Queued before names were cleaned: Django refuses the message (BadHeaderError) for good.
    email = OutgoingEmail.objects.create(
        message=message_fields(subject="Hi\r\nBcc: all@example.org")
    )
    outgoing_email_send.apply((email.pk,))  # the task, as a worker runs it: no exception
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert "BadHeaderError" in email.last_error
    assert outbox.outgoing_email_sweep(now=_after_lease()) == 0
    assert mail.outbox == []


def test_a_subject_is_made_one_line_when_queued(db, send):
    send(subject="Ann\r\nBcc: all@example.org joined")
    assert OutgoingEmail.objects.get().status == Status.SENT
    assert mail.outbox[0].subject == "Ann Bcc: all@example.org joined"


def test_an_invalid_address_fails_the_row(db, smtp_sink):
    email = OutgoingEmail.objects.create(
        message=message_fields(to=["a@example.org\nb@example.org"])
    )
    assert outbox.outgoing_email_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert "Invalid address" in email.last_error


def test_a_permanent_refusal_fails_the_row_with_its_reason(db, smtp_sink, send):
    smtp_sink.rcpt_reply = "550 5.1.1 no such mailbox"
    send()
    email = OutgoingEmail.objects.get()
    assert email.status == Status.FAILED
    assert email.attempts == 1
    assert "no such mailbox" in email.last_error
    assert outbox.outgoing_email_sweep(now=_after_lease()) == 0


def test_a_temporary_refusal_is_retried_later_with_the_same_message_id(
    db, smtp_sink, send, django_capture_on_commit_callbacks
):
    smtp_sink.data_reply = "451 4.3.0 try again later"
    send()
    email = OutgoingEmail.objects.get()
    assert email.status == Status.QUEUED
    assert email.attempts == 1
    assert "try again later" in email.last_error
    assert outbox.outgoing_email_sweep() == 0  # not before its delay

    smtp_sink.data_reply = "250 OK"
    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process
        assert outbox.outgoing_email_sweep(now=timezone.now() + outbox.RETRY_FIRST) == 1
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.attempts == 2
    assert smtp_sink.message_ids() == [email.message_id, email.message_id]


def test_a_message_that_keeps_failing_is_given_up(db, smtp_sink):
    smtp_sink.data_reply = "421 4.7.0 too busy"
    email = OutgoingEmail.objects.create(
        message=message_fields(), attempts=outbox.MAX_ATTEMPTS - 1, status=Status.QUEUED
    )
    outbox.outgoing_email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert "too busy" in email.last_error


def test_a_message_whose_attempts_keep_dying_is_given_up(db, smtp_sink):
    """An attempt killed each time (the worker's memory, its time limit, a kill -9) is
    recorded before the send: after MAX_ATTEMPTS of them the row fails, rather than going
    out again every few minutes for ever."""
    email = OutgoingEmail.objects.create(
        message=message_fields(),
        status=Status.SENDING,
        attempts=outbox.MAX_ATTEMPTS,
        lease_until=timezone.now() - timezone.timedelta(seconds=1),
    )
    outbox.outgoing_email_sweep()  # the attempt runs in-process
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert "did not finish" in email.last_error
    assert smtp_sink.messages == []
    assert outbox.outgoing_email_sweep(now=_after_lease()) == 0
    # A task still in the broker for such a row gives it up too.
    email.status, email.lease_until = Status.SENDING, timezone.now()
    email.save()
    assert outbox.outgoing_email_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert smtp_sink.messages == []


def test_a_mail_server_that_is_down_is_retried(db, settings, send):
    with SmtpSink() as closed:
        smtp_delivery(settings, closed)
    send()  # nobody listens on that port any more
    email = OutgoingEmail.objects.get()
    assert email.status == Status.QUEUED
    assert "Connection refused" in email.last_error or "111" in email.last_error


def test_a_sent_row_is_not_sent_again(db, smtp_sink, send):
    send()
    email = OutgoingEmail.objects.get()
    assert outbox.outgoing_email_send(email_id=email.pk) is False
    assert outbox.outgoing_email_sweep(now=_after_lease()) == 0
    assert len(smtp_sink.messages) == 1


def test_a_row_in_another_attempts_hands_is_left_alone(db, smtp_sink):
    email = OutgoingEmail.objects.create(
        message=message_fields(), status=Status.SENDING, attempts=1, lease_until=_after_lease()
    )
    assert outbox.outgoing_email_send(email_id=email.pk) is False
    assert outbox.outgoing_email_sweep() == 0
    assert smtp_sink.messages == []


@contextmanager
def _broker_down():
    """Tasks go to a broker on a closed port, not run in-process: they never reach it."""
    url, timeout = app.conf.broker_url, app.conf.broker_connection_timeout
    _use_broker(f"redis://127.0.0.1:{_closed_port()}/0", timeout=0.5)
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True
        _use_broker(url, timeout=timeout)


def _use_broker(url, *, timeout):
    app.conf.broker_url = url
    app.conf.broker_connection_timeout = timeout
    # Celery keeps its connection pools: new ones for the new address.
    app._pool = None
    app.amqp._producer_pool = None


def _closed_port() -> int:
    with SmtpSink() as server:
        return server.port


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mail_queued_while_the_broker_is_down_is_sent_by_the_sweeper(smtp_sink):
    with _broker_down():
        # The change commits; the broker refusing the task is only logged.
        mail.send_mail("Hello", "Body", None, ["someone@example.org"])
    email = OutgoingEmail.objects.get()
    assert email.status == Status.QUEUED
    assert smtp_sink.messages == []

    assert outbox.outgoing_email_sweep() == 0  # its lease still runs
    assert outbox.outgoing_email_sweep(now=_after_lease()) == 1  # the worker runs in-process
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert smtp_sink.message_ids() == [email.message_id]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_take_each_row_once():
    due = timezone.now() - timezone.timedelta(seconds=1)
    locked, free = (
        OutgoingEmail.objects.create(message=message_fields(), lease_until=due) for _ in range(2)
    )
    taken, release = threading.Event(), threading.Event()

    def other_sweep():  # holds its lock on one row while this one sweeps
        with transaction.atomic():
            OutgoingEmail.objects.select_for_update().get(pk=locked.pk)
            taken.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_sweep)
    thread.start()
    try:
        assert taken.wait(10)
        assert outbox.outgoing_email_sweep() == 1  # the task runs in-process
    finally:
        release.set()
        thread.join()
    free.refresh_from_db()
    locked.refresh_from_db()
    assert free.status == Status.SENT
    assert (locked.status, locked.lease_until) == (Status.QUEUED, due)
    assert len(mail.outbox) == 1


def test_the_sweep_runs_on_beat_within_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["outgoing-email-sweep"]
    assert entry["task"] == outgoing_email_sweep.name
    assert entry["schedule"] <= 60
    # Celery's own redelivery of a killed worker's task is no longer an hour away either.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= 15 * 60
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    # An attempt is killed before its lease runs out and the sweeper hands the row to another.
    assert outgoing_email_send.time_limit < DELIVERY_LEASE.total_seconds()


def test_the_health_check_counts_unsent_and_stuck_mail(db):
    long_ago = timezone.now() - outbox.STUCK_AFTER - timezone.timedelta(minutes=1)
    OutgoingEmail.objects.create(message=message_fields())
    OutgoingEmail.objects.create(message=message_fields(), status=Status.SENDING)
    OutgoingEmail.objects.create(message=message_fields(), status=Status.SENT)
    OutgoingEmail.objects.create(message=message_fields(), status=Status.FAILED)
    assert outbox.outgoing_email_backlog() == {"unsent": 2, "stuck": 0}
    assert outbox.outgoing_email_check() == "2 unsent"

    stuck = OutgoingEmail.objects.create(message=message_fields())
    OutgoingEmail.objects.filter(pk=stuck.pk).update(created_at=long_ago)
    assert outbox.outgoing_email_backlog() == {"unsent": 3, "stuck": 1}
    with pytest.raises(RuntimeError, match="1 of 3 unsent emails waiting for more than 15 minutes"):
        outbox.outgoing_email_check()


def test_the_admin_lists_failed_mail_with_its_reason(admin_client):
    OutgoingEmail.objects.create(
        message=message_fields(subject="Refused"), status=Status.FAILED, last_error="permanent: 550"
    )
    OutgoingEmail.objects.create(message=message_fields(subject="Waiting"))
    url = reverse("admin:core_outgoingemail_changelist")
    response = admin_client.get(url, {"status__exact": "failed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "permanent: 550" in page
    assert "Refused" in page
    assert "Waiting" not in page


def test_the_admin_sends_failed_mail_again(admin_client, django_capture_on_commit_callbacks):
    failed = OutgoingEmail.objects.create(
        message=message_fields(), status=Status.FAILED, attempts=outbox.MAX_ATTEMPTS
    )
    sent = OutgoingEmail.objects.create(message=message_fields(), status=Status.SENT, attempts=1)
    url = reverse("admin:core_outgoingemail_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"action": "retry", "_selected_action": [failed.pk, sent.pk]}, follow=True
        )
    assert "1 message queued again." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.SENT, 1)
    assert len(mail.outbox) == 1  # the sent one is not sent again
