"""Outgoing email's background work: delivery with retries, and the monthly purge; notices to
moderators of what just arrived in their queue."""

import smtplib
import socket

from celery import shared_task

from core import notices
from core import outbox as services


# The names are those the tasks had in the configuration package: messages queued before a
# deploy, and the beat schedule, still find them.
@shared_task(
    name="dsi_hub.tasks.outgoing_email_send",
    bind=True,
    autoretry_for=(smtplib.SMTPException, socket.error, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def outgoing_email_send(self, email_id: int) -> bool:
    """Deliver one queued email; safe to run twice."""
    try:
        return services.outgoing_email_send(email_id=email_id)
    except self.autoretry_for as error:
        if self.request.retries >= self.max_retries:
            services.outgoing_email_mark_failed(email_id=email_id, error=repr(error))
        raise


@shared_task(name="dsi_hub.tasks.outgoing_email_purge")
def outgoing_email_purge() -> int:
    """Delete delivered email older than a month."""
    return services.outgoing_email_purge()


@shared_task(name="core.tasks.moderation_notices_send")
def moderation_notices_send() -> int:
    """Email moderators the items that arrived since the last notices (scheduled by
    core.notices a few minutes after an arrival); safe to run twice."""
    return notices.notices_send()


@shared_task(name="core.tasks.moderation_notices_sweep")
def moderation_notices_sweep() -> int:
    """Send notices whose scheduled task was lost (a killed worker, a flushed broker): those
    waiting for longer than two batches (Celery beat, every few minutes)."""
    return notices.notices_send(older_than=notices.SWEEP_AFTER)
