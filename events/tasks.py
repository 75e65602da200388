"""The events' background work."""

from celery import shared_task

from events import services


@shared_task
def events_series_extend() -> int:
    """Nightly (Celery beat): write out the next occurrences of open-ended series."""
    return services.events_extend_series()
