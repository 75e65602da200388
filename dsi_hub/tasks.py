"""The configuration package's background work: the worker's heartbeat, read by /readyz."""

from celery import shared_task

from dsi_hub.health import worker_heartbeat_write


@shared_task(name="dsi_hub.tasks.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> float:
    """Record that a worker runs tasks (scheduled by beat every HEARTBEAT_SECONDS)."""
    return worker_heartbeat_write()
