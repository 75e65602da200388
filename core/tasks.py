"""Outgoing email's background work: delivery, the sweep that retries, and the monthly purge;
notices to moderators of what just arrived in their queue; uploaded images re-encoded."""

from celery import shared_task

from core import notices
from core import outbox as services
from core import pending_images
from core.mail import DELIVERY_LEASE


# The names are those the tasks had in the configuration package: messages queued before a
# deploy, and the beat schedule, still find them.
@shared_task(
    name="dsi_hub.tasks.outgoing_email_send",
    # An attempt is over (killed if need be) before its lease runs out and the sweeper queues
    # the row again.
    soft_time_limit=DELIVERY_LEASE.total_seconds() - 90,
    time_limit=DELIVERY_LEASE.total_seconds() - 60,
)
def outgoing_email_send(email_id: int) -> bool:
    """Deliver one queued email; safe to run twice. Failures are recorded on the row, and
    retries are the sweeper's (outgoing_email_sweep), not Celery's."""
    return services.outgoing_email_send(email_id=email_id)


@shared_task(name="core.tasks.outgoing_email_sweep")
def outgoing_email_sweep() -> int:
    """Queue again the unsent email whose lease has run out (Celery beat, every minute)."""
    return services.outgoing_email_sweep()


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


@shared_task(
    name="core.tasks.pending_image_process",
    # An attempt is over (killed if need be) before its lease runs out and the sweeper queues
    # the row again.
    soft_time_limit=pending_images.LEASE.total_seconds() - 30,
    time_limit=pending_images.LEASE.total_seconds() - 15,
)
def pending_image_process(pending_id: int, token: str) -> bool:
    """Re-encode an uploaded image too heavy for the request and store it in its field; safe
    to run twice (a row gone or replaced by a newer upload is left alone)."""
    return pending_images.pending_image_process(pending_id=pending_id, token=token)


@shared_task(name="core.tasks.pending_images_sweep")
def pending_images_sweep() -> int:
    """Queue again the images whose task was lost or died (Celery beat, every minute)."""
    return pending_images.pending_images_sweep()
