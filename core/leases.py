"""Rows that tasks work on under a lease, safe against a worker killed at any line: outgoing email
(core.outbox) and uploaded images waiting to be re-encoded (core.pending_images).

A row has a `status`, `attempts` and `lease_until`. An attempt takes a row, in a transaction of
its own and before any work: queued, or taken by an attempt whose lease ran out. The sweeper
(Celery beat) queues again every row whose lease has run out: never handed to a broker that was
down, lost with it, or taken by an attempt that died. A row whose attempts all died is given up,
not tried for ever.
"""

from datetime import timedelta
from functools import partial

from django.db import models
from django.db import transaction
from django.utils import timezone


def died(attempts: int) -> str:
    """Why a row was given up when none of its attempts finished."""
    return f"given up after {attempts} attempts; the last did not finish (worker killed?)"


class LeasedRows:
    """A kind of leased row: its statuses, lease and attempts, and what giving up a row and
    queuing rows mean for it (the subclass's methods)."""

    queued: str
    taken: str
    lease: timedelta
    max_attempts: int
    batch = 500
    # The columns each queued row is handed to `enqueue` with, the primary key first.
    task_fields: tuple[str, ...] = ("pk",)

    def give_up(self, row: models.Model, reason: str) -> None:
        """Fail one row whose attempts all died (inside the attempt's transaction)."""
        raise NotImplementedError

    def give_up_rows(self, pks: list, reason: str) -> None:
        """Fail the rows the sweeper found with all their attempts dead."""
        raise NotImplementedError

    def enqueue(self, rows: list[tuple]) -> None:
        """Hand rows to the broker (after the commit); with the broker down, leave them."""
        raise NotImplementedError

    def attempt_start(self, queryset: models.QuerySet):
        """Take the one row of `queryset` for an attempt and commit it: status `taken`, one more
        attempt, a fresh lease. None when the row is not free (done, failed, locked by another
        attempt, or taken with its lease running), or when its last allowed attempt died: that
        row is given up instead."""
        now = timezone.now()
        with transaction.atomic():
            row = (
                queryset.select_for_update(skip_locked=True)
                .filter(
                    models.Q(status=self.queued) | models.Q(status=self.taken, lease_until__lte=now)
                )
                .first()
            )
            if row is None:
                return None
            if row.attempts >= self.max_attempts:
                self.give_up(row, died(row.attempts))
                return None
            row.status = self.taken
            row.attempts += 1
            row.lease_until = now + self.lease
            row.save(update_fields=["status", "attempts", "lease_until"])
        return row

    def sweep(self, due: models.QuerySet, *, now) -> int:
        """Queue again the `due` rows (their lease run out), at most `batch`: status `queued`, a
        fresh lease, and `enqueue` once this commits. Safe to run twice at once: each takes only
        rows the other has not locked. Returns how many it queued."""
        with transaction.atomic():
            rows = list(
                due.select_for_update(skip_locked=True)
                .order_by("lease_until")
                .values_list(*self.task_fields, "attempts")[: self.batch]
            )
            dead = [row[0] for row in rows if row[-1] >= self.max_attempts]
            if dead:
                self.give_up_rows(dead, died(self.max_attempts))
            alive = [row[:-1] for row in rows if row[-1] < self.max_attempts]
            due.model.objects.filter(pk__in=[row[0] for row in alive]).update(
                status=self.queued, lease_until=now + self.lease
            )
            transaction.on_commit(partial(self.enqueue, alive))
        return len(alive)
