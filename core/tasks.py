"""Outgoing email's background work: delivery with retries, and the monthly purge."""

import smtplib
import socket

from celery import shared_task

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
