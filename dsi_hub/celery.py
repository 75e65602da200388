"""The hub's Celery application.

Reliability settings live in settings.py under CELERY_*: late acknowledgement, rejection on a lost
worker, a prefetch of one, a visibility timeout above the longest task, time limits and JSON only.
"""

import os

from celery import Celery
from celery import Task
from celery.signals import worker_init
from celery.utils import uuid
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsi_hub.settings")


class TransactionAwareTask(Task):
    """A task that is sent to the broker only once the surrounding transaction commits.

    A worker must never pick up a task about a row it cannot see yet, nor one about a change that
    was rolled back. Outside a transaction the task is sent at once.
    """

    abstract = True

    def apply_async(self, args=None, kwargs=None, **options):
        if not transaction.get_connection().in_atomic_block:
            return super().apply_async(args=args, kwargs=kwargs, **options)
        # The id is fixed now, so callers (and beat) get a result handle at once.
        task_id = options.setdefault("task_id", uuid())
        parent = super()
        transaction.on_commit(lambda: parent.apply_async(args=args, kwargs=kwargs, **options))
        return self.AsyncResult(task_id)


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
