"""Delivery of outgoing email: once, and if ever again, with the same Message-ID.

A row goes queued → sending → sent (or failed), each step committed on its own:

1. `outgoing_email_queue` writes the row (with its Message-ID and a lease) in the caller's
   transaction and hands its id to the broker after the commit. A broker that is down loses
   nothing: the row waits for the sweeper.
2. An attempt takes the row in a transaction of its own before it says a word to the mail server:
   status "sending", one more attempt, a fresh lease. Whatever kills the worker after that (a
   kill -9, a lost machine) leaves a row that says so.
3. After the mail server has accepted the message, the row is marked sent. A worker killed
   between the two leaves it "sending": once its lease has run out the sweeper queues it again,
   and it goes out a second time with the same Message-ID, which receivers recognise. That is
   as near to exactly once as SMTP allows.

A permanent failure (a header Django refuses, an invalid address, a 5xx answer) marks the row
failed with its reason at once; a temporary one (the server is down, a 4xx answer) puts it back
in the queue with a growing delay, until MAX_ATTEMPTS. The sweeper (Celery beat, every minute)
queues again every unsent row whose lease has run out; it is also the only retry mechanism, so
the rows, not the broker, say what is left to send.
"""

import logging
import smtplib
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Count
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from core import leases
from core.mail import DELIVERY_LEASE
from core.mail import delivery_connection
from core.mail import message_from_dict
from core.mail import message_to_dict
from core.models import OutgoingEmail

logger = logging.getLogger(__name__)

# Attempts before a message that keeps failing for a temporary reason is given up; the delay
# before the next one doubles from RETRY_FIRST up to RETRY_MAX (about 2 hours in all).
MAX_ATTEMPTS = 8
RETRY_FIRST = timedelta(seconds=30)
RETRY_MAX = timedelta(hours=1)
# Mail waiting longer than this is reported stuck by the health check.
STUCK_AFTER = timedelta(minutes=15)
# Rows the sweeper queues again in one run.
SWEEP_BATCH = 500

Status = OutgoingEmail.Status


@transaction.atomic
def outgoing_email_queue(*, message) -> OutgoingEmail:
    """Store a message and queue its delivery once the current transaction commits."""
    email = OutgoingEmail.objects.create(message=message_to_dict(message))
    transaction.on_commit(partial(_enqueue, [email.pk]))
    return email


def _enqueue(email_ids: list[int]) -> None:
    """Hand rows to the broker; with the broker down, leave them (all: each try costs a
    connection time-out) to the sweeper."""
    from core.tasks import outgoing_email_send

    for email_id in email_ids:
        try:
            outgoing_email_send.apply_async((email_id,), retry=False)
        except (OperationalError, OSError) as error:
            logger.warning("Outgoing email %s left for the sweeper: %r", email_ids, error)
            return


def outgoing_email_send(*, email_id: int) -> bool:
    """Deliver a queued message; returns whether this call delivered it.

    Safe to run twice, and at once: a row that is sent, failed, or in another attempt's hands
    (its lease running) is left alone.
    """
    email = _attempt_start(email_id)
    if email is None:
        return False
    try:
        message = message_from_dict(email.message)
        message.extra_headers["Message-ID"] = email.message_id
        delivery_connection().send_messages([message])
    except Exception as error:  # every failure is recorded on the row, none lost in a log
        _attempt_failed(email, error)
        return False
    OutgoingEmail.objects.filter(pk=email.pk, status__in=[Status.QUEUED, Status.SENDING]).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


class Deliveries(leases.LeasedRows):
    """Outgoing email under a delivery lease."""

    queued, taken = Status.QUEUED, Status.SENDING
    lease, max_attempts, batch = DELIVERY_LEASE, MAX_ATTEMPTS, SWEEP_BATCH

    def give_up(self, email, reason):
        # Failures up to here are recorded as failures: this row's last attempt died.
        email.status, email.last_error = Status.FAILED, reason
        email.save(update_fields=["status", "last_error"])
        logger.error("Outgoing email %s not delivered: %s", email.pk, email.last_error)

    def give_up_rows(self, pks, reason):
        OutgoingEmail.objects.filter(pk__in=pks).update(status=Status.FAILED, last_error=reason)
        logger.error("Outgoing emails %s not delivered: %s", pks, reason)

    def enqueue(self, rows):
        _enqueue([email_id for (email_id,) in rows])


DELIVERIES = Deliveries()


def _attempt_start(email_id: int) -> OutgoingEmail | None:
    """Record an attempt, committed before anything is sent: the row that is free to take
    (queued, or sending with a lease run out) becomes "sending" with a fresh lease."""
    return DELIVERIES.attempt_start(OutgoingEmail.objects.filter(pk=email_id))


def _attempt_failed(email: OutgoingEmail, error: Exception) -> None:
    """Fail the row for good, or queue it again after a delay, with the reason for the admin.
    Only this attempt's own row is changed (a later attempt may have taken it since)."""
    permanent = is_permanent_failure(error)
    if permanent or email.attempts >= MAX_ATTEMPTS:
        changes = {"status": Status.FAILED}
    else:
        delay = min(RETRY_FIRST * 2 ** (email.attempts - 1), RETRY_MAX)
        changes = {"status": Status.QUEUED, "lease_until": timezone.now() + delay}
    reason = f"{'permanent' if permanent else 'attempt ' + str(email.attempts)}: {error!r}"
    OutgoingEmail.objects.filter(
        pk=email.pk, status=Status.SENDING, attempts=email.attempts
    ).update(last_error=reason[:2000], **changes)
    log = logger.error if changes["status"] == Status.FAILED else logger.warning
    log("Outgoing email %s not delivered: %s", email.pk, reason)


def is_permanent_failure(error: Exception) -> bool:
    """Whether sending the same message again cannot succeed: Django refused it (a line break
    in a header, an invalid address: ValueError) or the server answered 5xx. A refused log-in
    is the hub's settings, not the message's fault: it is retried."""
    if isinstance(error, ValueError):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def outgoing_email_sweep(*, now=None) -> int:
    """Queue again the unsent rows whose lease has run out: never handed to the broker (it was
    down), lost with it, taken by an attempt that died, or due for a retry. Safe to run twice at
    once: each takes only rows the other has not locked. A row whose last allowed attempt died
    fails instead (a message that kills the worker ends there, not in one more copy every few
    minutes for ever). Returns how many it queued."""
    now = now or timezone.now()
    return DELIVERIES.sweep(OutgoingEmail.objects.due(now), now=now)


@transaction.atomic
def outgoing_email_retry(*, email_ids: list[int]) -> int:
    """Queue failed messages again, from their first attempt (the admin's action, once the
    cause is mended). Returns how many."""
    ids = list(
        OutgoingEmail.objects.select_for_update()
        .filter(pk__in=email_ids, status=Status.FAILED)
        .values_list("pk", flat=True)
    )
    OutgoingEmail.objects.filter(pk__in=ids).update(
        status=Status.QUEUED, attempts=0, lease_until=timezone.now() + DELIVERY_LEASE
    )
    transaction.on_commit(partial(_enqueue, ids))
    return len(ids)


def outgoing_email_backlog(*, now=None) -> dict[str, int]:
    """Unsent mail for the health check: `unsent` (queued or being sent) and, of those, `stuck`
    (waiting for more than STUCK_AFTER: no worker, or a mail server that keeps failing)."""
    since = (now or timezone.now()) - STUCK_AFTER
    return OutgoingEmail.objects.unsent().aggregate(
        unsent=Count("pk"), stuck=Count("pk", filter=Q(created_at__lt=since))
    )


def outgoing_email_check() -> str:
    """The health check's line on mail: raises when some is stuck."""
    backlog = outgoing_email_backlog()
    if backlog["stuck"]:
        raise RuntimeError(
            f"{backlog['stuck']} of {backlog['unsent']} unsent emails waiting for more than "
            f"{int(STUCK_AFTER.total_seconds() // 60)} minutes"
        )
    return f"{backlog['unsent']} unsent"


def outgoing_email_purge(*, older_than_days: int = 30) -> int:
    """Delete delivered messages older than a month: they hold personal data."""
    moment = timezone.now() - timezone.timedelta(days=older_than_days)
    deleted, _ = OutgoingEmail.objects.sent_before(moment).delete()
    return deleted
