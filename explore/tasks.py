"""The Explore section's background work."""

from celery import shared_task
from django.http import QueryDict

from explore.network import SHOWS
from explore.network import network_query
from explore.network import network_summary


@shared_task
def network_warm() -> None:
    """After the directory or its links changed: the unfiltered network, both ways of showing
    it, made before a visitor asks (names only, unless the links changed)."""
    for show in SHOWS:
        network_summary(network_query(QueryDict(f"show={show}")))
