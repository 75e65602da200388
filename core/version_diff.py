"""What changed between two versions of an item in its history (django-reversion), field by
field, for moderators: texts as a word diff marked with <ins> and <del>, everything the item's
authors wrote escaped (shown as written, never as HTML), related rows by their names."""

import datetime
import difflib
import re
from dataclasses import dataclass

from django.db import models
from django.utils import formats
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

# Words, runs of white space, and HTML tags (a tag changes as one piece).
TOKENS = re.compile(r"<[^>]*>|\s+|[^\s<]+")
# Longer texts are compared line by line: a word diff of them would take too long.
MAX_WORD_TOKENS = 20_000
EMPTY = "–"


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its label, and either a `diff` (texts) or the values before and
    after, as text."""

    label: str
    before: str = ""
    after: str = ""
    diff: SafeString | None = None


def text_diff(before: str, after: str) -> SafeString:
    """`after` against `before`, word by word (line by line when long): removed runs in <del>,
    added ones in <ins>, every piece of text escaped."""
    before, after = before or "", after or ""
    split = TOKENS.findall
    if len(before) + len(after) > MAX_WORD_TOKENS * 4:
        split = str.splitlines
        before_tokens = before.splitlines(keepends=True)
        after_tokens = after.splitlines(keepends=True)
    else:
        before_tokens, after_tokens = split(before), split(after)
    matcher = difflib.SequenceMatcher(None, before_tokens, after_tokens, autojunk=False)
    parts = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(escape("".join(before_tokens[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(before_tokens[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(after_tokens[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def _compared_fields(model):
    """The fields a version records that a person sets: not the automatic timestamps."""
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False) or field.auto_created:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if (
            isinstance(field, models.ManyToManyField)
            and not field.remote_field.through._meta.auto_created
        ):
            continue  # a custom through model is versioned as rows of its own
        yield field


def _names(field, keys) -> dict:
    """The related rows' names, by key: one query per related model."""
    keys = {key for key in keys if key is not None}
    if not keys:
        return {}
    related = field.related_model
    return {str(row.pk): str(row) for row in related._base_manager.filter(pk__in=keys)}


def _as_text(field, value) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def version_changes(model, before: dict, after: dict) -> list[FieldChange]:
    """The fields that differ between two versions' field dicts (Version.field_dict), in the
    model's order; a bounded number of queries (one per related model whose value changed)."""
    changes = []
    for field in _compared_fields(model):
        key = field.attname
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        label = str(field.verbose_name)
        if isinstance(field, models.ManyToManyField):
            old, new = set(old or []), set(new or [])
            names = _names(field, old | new)
            removed = sorted(names.get(str(pk), str(pk)) for pk in old - new)
            added = sorted(names.get(str(pk), str(pk)) for pk in new - old)
            parts = [f"<del>{escape(name)}</del>" for name in removed]
            parts += [f"<ins>{escape(name)}</ins>" for name in added]
            changes.append(FieldChange(label, diff=mark_safe(" ".join(parts))))  # noqa: S308
        elif isinstance(field, models.ForeignKey):
            names = _names(field, [old, new])
            changes.append(
                FieldChange(
                    label,
                    before=names.get(str(old), EMPTY if old is None else str(old)),
                    after=names.get(str(new), EMPTY if new is None else str(new)),
                )
            )
        elif isinstance(field, models.CharField | models.TextField) and not field.flatchoices:
            changes.append(FieldChange(label, diff=text_diff(old or "", new or "")))
        else:
            changes.append(
                FieldChange(label, before=_as_text(field, old), after=_as_text(field, new))
            )
    return changes
