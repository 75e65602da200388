from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.mail import delivery_connection
from core.mail import message_from_dict
from core.mail import message_to_dict
from core.models import OutgoingEmail


@transaction.atomic
def outgoing_email_queue(*, message) -> OutgoingEmail:
    """Store a message and queue its delivery once the current transaction commits."""
    from core.tasks import outgoing_email_send

    email = OutgoingEmail.objects.create(message=message_to_dict(message))
    outgoing_email_send.delay(email.pk)
    return email


def outgoing_email_send(*, email_id: int) -> bool:
    """Deliver a queued message once; a second call for a delivered one does nothing.

    Returns whether this call delivered it. The row stays locked while the message goes out, so
    two workers given the same task cannot both send it.
    """
    try:
        with transaction.atomic():
            email = (
                OutgoingEmail.objects.select_for_update()
                .filter(pk=email_id, status=OutgoingEmail.Status.QUEUED)
                .first()
            )
            if email is None:
                return False
            delivery_connection().send_messages([message_from_dict(email.message)])
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = timezone.now()
            email.attempts = F("attempts") + 1
            email.last_error = ""
            email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    except Exception as error:
        # Recorded outside the rolled-back transaction, for the admin to see; the task retries.
        OutgoingEmail.objects.filter(pk=email_id).update(
            attempts=F("attempts") + 1, last_error=repr(error)[:2000]
        )
        raise
    return True


def outgoing_email_mark_failed(*, email_id: int, error: str) -> None:
    """Give up on a message after the task has used its retries."""
    OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.FAILED, last_error=error[:2000]
    )


def outgoing_email_purge(*, older_than_days: int = 30) -> int:
    """Delete delivered messages older than a month: they hold personal data."""
    moment = timezone.now() - timezone.timedelta(days=older_than_days)
    deleted, _ = OutgoingEmail.objects.sent_before(moment).delete()
    return deleted
