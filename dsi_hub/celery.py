"""The hub's Celery application.

Reliability settings live in settings.py under CELERY_*: late acknowledgement, rejection on a lost
worker, a prefetch of one, a visibility timeout above the longest task, time limits and JSON only.
"""

import logging
import os

import redis
from celery import Celery
from celery import Task
from celery.signals import worker_init
from celery.utils import uuid
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

from core.cache import breaker_for

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsi_hub.settings")


class TransactionAwareTask(Task):
    """A task that is sent to the broker only once the surrounding transaction commits.

    A worker must never pick up a task about a row it cannot see yet, nor one about a change that
    was rolled back. Outside a transaction the task is sent at once.
    """

    abstract = True

    def apply_async(self, args=None, kwargs=None, **options):
        if not transaction.get_connection().in_atomic_block:
            return self._publish(args, kwargs, options)
        # The id is fixed now, so callers (and beat) get a result handle at once.
        task_id = options.setdefault("task_id", uuid())
        transaction.on_commit(lambda: self._publish(args, kwargs, options))
        return self.AsyncResult(task_id)

    def _publish(self, args, kwargs, options):
        """Send the task; with the broker unreachable, log it and go on.

        What was committed stays committed, so raising here (after the commit, or in a view)
        would only turn a saved change into a 500. Work whose task is lost this way is found
        again by a sweep (queued email, moderators' notices): the row in Postgres is the truth.
        After a failure the broker is skipped for REDIS_RETRY_SECONDS, as the cache is.
        """
        if self.app.conf.task_always_eager:
            return super().apply_async(args=args, kwargs=kwargs, **options)
        breaker = breaker_for(
            f"broker:{self.app.conf.broker_url}", seconds=settings.REDIS_RETRY_SECONDS
        )
        if breaker.is_open():
            logger.warning("Task %s not sent: the broker is unavailable", self.name)
            return self.AsyncResult(options.get("task_id") or uuid())
        try:
            result = super().apply_async(args=args, kwargs=kwargs, **options)
        except (OperationalError, redis.RedisError, OSError) as error:
            breaker.trip(error, "the broker")
            logger.warning("Task %s not sent: %r", self.name, error)
            return self.AsyncResult(options.get("task_id") or uuid())
        breaker.succeeded()
        return result


app = Celery("dsi_hub", task_cls=TransactionAwareTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _warm_gazetteer(**kwargs):
    """Before the worker takes tasks: write the gazetteer's lookup file (directory.cities), so
    the first task that saves a profile does not wait seconds for it (the web's gunicorn does
    the same in gunicorn.conf.py)."""
    from directory.cities import gazetteer_build

    gazetteer_build()
