import smtplib
import socket

from celery import shared_task

from dsi_hub import services


@shared_task(
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


@shared_task
def outgoing_email_purge() -> int:
    """Delete delivered email older than a month."""
    return services.outgoing_email_purge()
