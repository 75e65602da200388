"""The directory's background work."""

from celery import shared_task

from directory.facets import lists_warm
from directory.services import moderation


@shared_task
def moderation_digest_send() -> int:
    """Email moderators the day's review queue (Celery beat, daily); nothing when it is empty."""
    return moderation.moderation_digest_send()


@shared_task
def directory_lists_warm() -> None:
    """After published content changed: count the unfiltered lists before a visitor has to."""
    lists_warm()
