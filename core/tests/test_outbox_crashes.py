"""A real worker (core.tests.mail_worker) killed with kill -9 at each point of a delivery, a real
SMTP server (core.tests.smtp_sink): the message is never lost, and if it goes out twice it is
with the same Message-ID."""

import signal

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from core import outbox
from core.mail import DELIVERY_LEASE
from core.models import OutgoingEmail
from core.tests.mail_worker import start_mail_worker
from dsi_hub.celery import app

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def broker():
    """Tasks go to the real Redis broker, for the worker in its own process."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.mark.parametrize(
    ("killed_at", "copies_before"),
    [
        ("greeting", 0),  # attempt recorded, nothing sent yet
        ("data", 1),  # the server has the message, the worker never heard back
        ("quit", 1),  # the server accepted it, the row is not marked sent yet
    ],
)
def test_a_worker_killed_mid_delivery_leaves_a_row_the_sweeper_sends_again(
    smtp_sink, broker, killed_at, copies_before
):
    smtp_sink.silent_at = killed_at
    worker = start_mail_worker(database=connection.settings_dict["NAME"], smtp_port=smtp_sink.port)
    try:
        mail.send_mail("Hello", "Body", None, ["someone@example.org"])
        assert smtp_sink.fallen_silent.wait(60), "the worker never reached the mail server"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)

    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.SENDING
    assert email.attempts == 1
    assert len(smtp_sink.messages) == copies_before

    # Not before the lease runs out: the attempt might still be alive.
    app.conf.task_always_eager = True  # the next attempt runs here
    smtp_sink.silent_at = None
    assert outbox.outgoing_email_sweep() == 0
    assert outbox.outgoing_email_sweep(now=timezone.now() + DELIVERY_LEASE) == 1

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 2
    assert smtp_sink.message_ids() == [email.message_id] * (copies_before + 1)
    assert outbox.outgoing_email_sweep(now=timezone.now() + 2 * DELIVERY_LEASE) == 0
