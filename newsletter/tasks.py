"""The newsletter's background work."""

from celery import shared_task

from newsletter import services


@shared_task
def newsletter_unconfirmed_purge() -> int:
    """Daily (Celery beat): forget addresses never confirmed within a week of signing up."""
    return services.subscribers_purge_unconfirmed()
