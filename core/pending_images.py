"""Uploaded images too heavy to re-encode in the request, re-encoded by a Celery task.

A form's image (core.images, `defer_heavy`) that would decode to more than
IMAGE_INLINE_MAX_PIXELS comes back as a `DeferredImage`. The service that saves the form writes
a `PendingImage` row with its original bytes in the same transaction (`pending_image_queue`), and
the task is sent once that commits. Meanwhile the field keeps the image it had, and the owner's
form says the new one is being processed (`form_note_pending_images`).

A row goes queued → processing → stored in the field and deleted (or failed), each step
committed on its own, as outgoing email does (core.outbox):

1. An attempt takes the row (processing, one more attempt, a lease) in a transaction of its own,
   so a worker killed while decoding leaves a row that says so; the sweeper (Celery beat, every
   minute) queues again every row whose lease has run out, until MAX_ATTEMPTS.
2. The image is decoded and re-encoded with process_image_upload, under the same limits as in a
   request, with no lock held.
3. One transaction locks the row and the row it belongs to, checks that the row is still the
   same upload (its token: a newer upload replaces the row, a file saved or cleared in the field
   since deletes it), stores the file through the storage API, saves the field (core.files
   deletes the replaced file on commit) and deletes the row. A task that runs twice, or late,
   finds no row or another token, and does nothing.

Data the decoder refuses (a corrupt image behind a valid header) fails the row for good: the
field keeps what it had, the original bytes are dropped, and the owner's form says so.
"""

import logging
import uuid
from datetime import timedelta
from functools import partial

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db import transaction
from django.db.models.functions import Length
from django.db.models.signals import post_delete
from django.dispatch import Signal
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from core import leases
from core.files import stored_file_changed
from core.images import DeferredImage
from core.images import process_image_upload
from core.models import PendingImage

logger = logging.getLogger(__name__)

# How long an attempt may take before the sweeper queues the row again; the task's time limits
# end it before that.
LEASE = timedelta(minutes=2)
# A row whose attempts all died (a worker killed, out of memory) fails after this many.
MAX_ATTEMPTS = 3
# A temporary failure (the storage away) is tried again after this.
RETRY_AFTER = timedelta(minutes=1)
SWEEP_BATCH = 200

Status = PendingImage.Status

# A field was given its re-encoded image (sent with instance=..., field=..., once the task's
# transaction commits): apps move their cached pages on.
pending_image_stored = Signal()


def pending_images_split(fields: dict) -> tuple[dict, dict]:
    """The values a service sets now, and the images it queues (`pending_images_queue`)."""
    now = {name: value for name, value in fields.items() if not isinstance(value, DeferredImage)}
    later = {name: value for name, value in fields.items() if isinstance(value, DeferredImage)}
    return now, later


@transaction.atomic
def pending_image_queue(*, obj, field: str, image: DeferredImage, user=None) -> PendingImage:
    """Keep an upload's original for a task to re-encode into `obj.<field>`, once the caller's
    transaction commits. It replaces an image still waiting for the same field."""
    content_type = ContentType.objects.get_for_model(obj)
    pending, _created = PendingImage.objects.update_or_create(
        content_type=content_type,
        object_id=obj.pk,
        field=field,
        defaults={
            "token": uuid.uuid4(),
            "original": image.original,
            "max_width": image.max_size[0],
            "max_height": image.max_size[1],
            "square": image.square,
            "name_prefix": image.name_prefix,
            "uploaded_by": user if user is not None and user.is_authenticated else None,
            "status": Status.QUEUED,
            "attempts": 0,
            "lease_until": timezone.now() + LEASE,
            "last_error": "",
            "created_at": timezone.now(),
        },
    )
    transaction.on_commit(partial(_enqueue, [(pending.pk, pending.token)]))
    return pending


def pending_images_queue(*, obj, images: dict, user=None) -> None:
    """`pending_image_queue` for each field of `images` (field name -> DeferredImage)."""
    for field, image in images.items():
        pending_image_queue(obj=obj, field=field, image=image, user=user)


def _enqueue(rows: list[tuple]) -> None:
    """Hand rows to the broker; with the broker down, leave them to the sweeper."""
    from core.tasks import pending_image_process

    for pending_id, token in rows:
        try:
            pending_image_process.apply_async((pending_id, str(token)), retry=False)
        except (OperationalError, OSError) as error:
            logger.warning("Pending images %s left for the sweeper: %r", rows, error)
            return


def pending_image_process(*, pending_id: int, token: str) -> bool:
    """Re-encode a waiting image and store it in its field; returns whether this call did.

    Safe to run twice, and at once: a row that is gone, replaced (another token), failed or in
    another attempt's hands is left alone."""
    pending = _attempt_start(pending_id, token)
    if pending is None:
        return False
    try:
        content = process_image_upload(
            ContentFile(bytes(pending.original), name="original"),
            max_size=(pending.max_width, pending.max_height),
            name_prefix=pending.name_prefix,
            square=pending.square,
        )
    except ValidationError as error:
        _attempt_failed(pending, " ".join(error.messages), permanent=True)
        return False
    except Exception as error:  # recorded on the row and tried again, never lost in a log
        _attempt_failed(pending, repr(error), permanent=False)
        return False
    try:
        return _store(pending, content)
    except Exception as error:
        _attempt_failed(pending, repr(error), permanent=False)
        return False


def _attempt_start(pending_id: int, token: str) -> PendingImage | None:
    """Record an attempt, committed before decoding starts."""
    return ATTEMPTS.attempt_start(PendingImage.objects.filter(pk=pending_id, token=token))


def _fail(pending: PendingImage, reason: str) -> None:
    """Fail a row for good; its original goes (only the note is left)."""
    PendingImage.objects.filter(pk=pending.pk, token=pending.token).update(
        status=Status.FAILED, original=b"", last_error=reason[:2000]
    )
    logger.error("Pending image %s not processed: %s", pending.pk, reason)


def _attempt_failed(pending: PendingImage, reason: str, *, permanent: bool) -> None:
    """Only this attempt's own row changes (a newer upload may have replaced it since)."""
    if permanent or pending.attempts >= MAX_ATTEMPTS:
        with transaction.atomic():
            mine = PendingImage.objects.select_for_update().filter(
                pk=pending.pk, token=pending.token, attempts=pending.attempts
            )
            if mine.exists():
                _fail(pending, f"{'permanent' if permanent else 'last attempt'}: {reason}")
        return
    PendingImage.objects.filter(
        pk=pending.pk, token=pending.token, status=Status.PROCESSING, attempts=pending.attempts
    ).update(
        status=Status.QUEUED,
        lease_until=timezone.now() + RETRY_AFTER,
        last_error=f"attempt {pending.attempts}: {reason}"[:2000],
    )
    logger.warning("Pending image %s not processed yet: %s", pending.pk, reason)


def _store(pending: PendingImage, content: ContentFile) -> bool:
    """Store the re-encoded image in its field, if the row is still this upload's."""
    with transaction.atomic():
        mine = (
            PendingImage.objects.select_for_update()
            .filter(pk=pending.pk, token=pending.token, status=Status.PROCESSING)
            .defer("original")
            .first()
        )
        if mine is None:
            return False  # replaced, or the field was given another file: theirs wins
        model = pending.content_type.model_class()
        owner = (
            model._default_manager.select_for_update(of=("self",))
            .filter(pk=pending.object_id)
            .first()
        )
        if owner is None:
            mine.delete()
            return False
        getattr(owner, pending.field).save(content.name, content, save=False)
        owner.save(update_fields=[pending.field])
        PendingImage.objects.filter(pk=pending.pk).delete()
        transaction.on_commit(
            partial(pending_image_stored.send, sender=model, instance=owner, field=pending.field)
        )
    return True


def pending_images_sweep(*, now=None) -> int:
    """Queue again the rows whose lease has run out: never handed to the broker (it was down),
    lost with it, or taken by an attempt that died. Safe to run twice at once. A row whose last
    allowed attempt died fails instead. Returns how many it queued."""
    now = now or timezone.now()
    return ATTEMPTS.sweep(PendingImage.objects.due(now), now=now)


class Attempts(leases.LeasedRows):
    """Waiting images under a processing lease."""

    queued, taken = Status.QUEUED, Status.PROCESSING
    lease, max_attempts, batch = LEASE, MAX_ATTEMPTS, SWEEP_BATCH
    task_fields = ("pk", "token")

    def give_up(self, pending, reason):
        _fail(pending, reason)

    def give_up_rows(self, pks, reason):
        PendingImage.objects.filter(pk__in=pks).update(
            status=Status.FAILED, original=b"", last_error=reason
        )
        logger.error("Pending images %s not processed: %s", pks, reason)

    def enqueue(self, rows):
        _enqueue(rows)


ATTEMPTS = Attempts()


# --- What the owner sees, and what goes with them ----------------------------------------------


def pending_image_notes(obj) -> dict[str, str]:
    """A note for each field of `obj` whose new image is waiting or failed."""
    if obj is None or obj.pk is None:
        return {}
    notes = {}
    for field, status, created in PendingImage.objects.of(obj).values_list(
        "field", "status", "created_at"
    ):
        if status == Status.FAILED:
            notes[field] = _(
                "We could not process the image you uploaded on %(date)s, so the previous one "
                "is still shown. Please upload another."
            ) % {"date": date_format(timezone.localtime(created), "DATETIME_FORMAT")}
        else:
            notes[field] = _(
                "Your new image is being processed; the previous one is shown until it is ready."
            )
    return notes


def form_note_pending_images(form) -> None:
    """Add each waiting or failed image's note to its field's help text on the owner's form."""
    for field, note in pending_image_notes(getattr(form, "instance", None)).items():
        if field in form.fields:
            help_text = form.fields[field].help_text
            form.fields[field].help_text = f"{help_text} {note}" if help_text else note


def pending_images_export(*, user) -> list[dict]:
    """The images a person uploaded that are still waiting, for their download."""
    return [
        {
            "kind": f"{pending.content_type.app_label}.{pending.content_type.model}",
            "field": pending.field,
            "object_id": pending.object_id,
            "status": pending.status,
            "bytes": pending.original_bytes,
            "uploaded": pending.created_at.isoformat(),
        }
        for pending in PendingImage.objects.filter(uploaded_by=user)
        .select_related("content_type")
        .defer("original")
        .annotate(original_bytes=Length("original"))
        .order_by("pk")
    ]


def pending_images_forget(*, user) -> int:
    """Delete the originals a person uploaded, and those waiting for their own account's fields
    (an account deleted goes with its uploads, whoever's field they were for)."""
    deleted, _rows = PendingImage.objects.filter(uploaded_by=user).delete()
    deleted += PendingImage.objects.of(user).delete()[0]
    return deleted


def _field_changed(sender, instance, attname, **kwargs):
    PendingImage.objects.of(instance).filter(field=attname).delete()


def _row_deleted(sender, instance, **kwargs):
    PendingImage.objects.of(instance).delete()


def track_pending_images() -> None:
    """A file saved or cleared in a field drops the older image waiting for it; a deleted row
    drops those waiting for its fields (called once, from CoreConfig.ready)."""
    stored_file_changed.connect(_field_changed, dispatch_uid="pending-images-field-changed")
    for model in _models_with_files():
        post_delete.connect(_row_deleted, sender=model, dispatch_uid=f"pending-del-{model._meta}")


def _models_with_files():
    return [
        model
        for model in apps.get_models()
        if any(isinstance(field, models.FileField) for field in model._meta.concrete_fields)
    ]
