"""Uploaded files: their sizes as people read them, and stored files deleted when their row lets
go of them.

Every model field holding a file (avatars, logos, header and story images) is watched: when a
row is saved with another file, or without one, or is deleted, the file it held is deleted from
its storage once the transaction commits (through the storage API, so S3 and the like work
alike), unless another row of the model still names it. Plumbing, not a business rule: so no
service has to remember it, and none can forget it (account deletion, cascades, the admin).
"""

import math

from django.apps import apps
from django.db import models
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete
from django.db.models.signals import post_init
from django.db.models.signals import post_save
from django.dispatch import Signal
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import ngettext

# Django's own messages (filesizeformat's), translated by its catalogue.
UNITS = ((1024**3, "%s GB"), (1024**2, "%s MB"), (1024, "%s KB"))


def file_size(num_bytes: int, *, round_up: bool = False) -> str:
    """A size as people read it: "5 MB", "5.2 MB" (one decimal where it is not whole).

    With `round_up`, a size is never shown smaller than it is, so a file over a limit never
    reads as the limit itself ("5.1 MB" against "5 MB", not "5.0 MB" against "5.0 MB")."""
    for unit, text in UNITS:
        if num_bytes >= unit:
            tenths = num_bytes * 10 / unit
            value = (math.ceil(tenths) if round_up else round(tenths)) / 10
            return gettext(text) % number_format(value, 0 if value.is_integer() else 1)
    return ngettext("%(size)d byte", "%(size)d bytes", num_bytes) % {"size": num_bytes}


STORED = "_stored_file_names"

# A saved row holds another file in a field, or none (sent with instance=..., attname=...): an
# image still waiting to be re-encoded for that field is older, and goes (core.pending_images).
stored_file_changed = Signal()


def track_stored_files() -> None:
    """Watch the file fields of every installed model (called once, from CoreConfig.ready)."""
    for model in apps.get_models():
        if _file_fields(model):
            post_init.connect(_remember, sender=model, dispatch_uid=f"files-init-{model._meta}")
            post_save.connect(_saved, sender=model, dispatch_uid=f"files-save-{model._meta}")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"files-del-{model._meta}")


def _file_fields(model) -> list[models.FileField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def _name(value) -> str:
    """The stored name a field's value stands for: a name read from the database or a stored
    file; a file given to the constructor is not stored yet."""
    if isinstance(value, FieldFile):
        return value.name or ""
    return value if isinstance(value, str) else ""


def _current(instance) -> dict[str, str]:
    """The file names the row holds now; a field deferred by .only() is left out."""
    return {
        field.attname: _name(instance.__dict__[field.attname])
        for field in _file_fields(type(instance))
        if field.attname in instance.__dict__
    }


def _remember(sender, instance, **kwargs):
    setattr(instance, STORED, _current(instance))


def _saved(sender, instance, raw=False, update_fields=None, using=None, **kwargs):
    if raw:  # loaddata
        return
    before = getattr(instance, STORED, {})
    now = {
        attname: name
        for attname, name in _current(instance).items()
        if update_fields is None or attname in update_fields
    }
    for attname, name in now.items():
        if before.get(attname, "") != name:
            stored_file_changed.send(sender=sender, instance=instance, attname=attname)
        if before.get(attname) and before[attname] != name:
            _delete_on_commit(sender, attname, before[attname], using)
    setattr(instance, STORED, {**before, **now})


def _deleted(sender, instance, using=None, **kwargs):
    # What the row was loaded or last saved with, and what it holds now (refresh_from_db
    # changes the second without a signal): a name no row holds any more goes.
    names = {(attname, name) for attname, name in getattr(instance, STORED, {}).items()}
    names |= set(_current(instance).items())
    for attname, name in names:
        if name:
            _delete_on_commit(sender, attname, name, using)


def _delete_on_commit(model, attname: str, name: str, using) -> None:
    # Robust: the row is committed by then; a storage that fails to delete (a file that is
    # not one, S3 away) leaves an orphan and a log line, not a 500 and the other callbacks
    # of the commit (email, cache versions) skipped.
    # (A function, not a partial: Django logs a robust callback's failure by its __qualname__.)
    def delete_if_unused():
        _delete_if_unused(model, attname, name)

    transaction.on_commit(delete_if_unused, using=using, robust=True)


def _delete_if_unused(model, attname: str, name: str) -> None:
    if model._default_manager.filter(**{attname: name}).exists():
        return
    model._meta.get_field(attname).storage.delete(name)
