"""The lifecycle every moderated kind shares (profiles, events, funding opportunities): created
and edited with a history entry, submitted for review, approved or rejected with a reason (its
author, or a profile's owner, is emailed), archived.

Each app's services wrap these steps with what differs: who may change an item, its own
wording, its email templates, its search index and the version its cached pages follow
(`on_published`, called when published content changed). These run inside the caller's
transaction: the apps' services are atomic, and a nested one would add savepoint queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from core.models import Status
from core.submissions import apply_relations
from core.submissions import notify_author
from core.submissions import record


@dataclass(frozen=True)
class Editing:
    """How one kind of item is edited: `apply` sets a form's fields and names those that
    changed, `validate` checks the item, `reindex` refreshes what is derived from it (search
    text...), `on_published` moves its cached pages on."""

    apply: Callable[..., list[str]]
    validate: Callable[..., None]
    reindex: Callable[..., None]
    on_published: Callable[[], object]


@dataclass(frozen=True)
class Review:
    """How one kind of item is reviewed: what its authors' emails call it (`name`) and their
    templates, the kind's messages for an item in the wrong state, and what moves its cached
    pages on when it is published or taken down."""

    name: str
    approved_template: str
    rejected_template: str
    not_pending_approve: str
    not_pending_reject: str
    on_published: Callable[[], object]
    not_submittable: str | None = None
    no_reason: str | None = None


def submission_create(obj, *, user, fields: dict, relations: dict | None, editing: Editing) -> None:
    """Fill in and save a new item (its title, author, status and slug already set), with
    "Created" in its history; published at once when its status says so."""
    publish = obj.status == Status.PUBLISHED  # as created, whatever `fields` hold
    with reversion.create_revision():
        editing.apply(obj, fields)
        if publish:
            obj.published_at = timezone.now()
        editing.validate(obj)
        obj.save()
        apply_relations(obj, relations or {})
        record(user=user, comment=_("Created"))
    editing.reindex(obj)
    if obj.is_published:
        editing.on_published()


def submission_update(
    obj, *, user, fields: dict, relations: dict | None, editing: Editing
) -> list[str]:
    """Apply an edit, validate and save it, and name the fields that changed in the history."""
    with reversion.create_revision():
        changed = editing.apply(obj, fields)
        editing.validate(obj)
        obj.save()
        changed += apply_relations(obj, relations or {})
        record(user=user, comment=_("Changed %(fields)s") % {"fields": ", ".join(changed)})
    editing.reindex(obj)
    if obj.is_published:
        editing.on_published()
    return changed


def submission_submit(obj, *, user, review: Review) -> None:
    """Send a draft (or a rejected item, corrected) for review."""
    if obj.status not in (Status.DRAFT, Status.REJECTED):
        raise ValidationError(
            review.not_submittable or _("Only drafts can be submitted for review."), code="state"
        )
    with reversion.create_revision():
        obj.status = Status.PENDING
        obj.submitted_at = timezone.now()
        obj.rejection_reason = ""
        obj.save()
        record(user=user, comment=_("Submitted for review"))


def _notify(obj, recipient, subject, template: str, context: dict, *, review: Review) -> None:
    """Email the item's author, or `recipient` (a profile's owner), in the site's language."""
    author = obj.created_by if recipient is None else recipient
    notify_author(
        author=author, subject=subject, template=template, context={**context, review.name: obj}
    )


def _title(obj, title: str | None) -> str:
    return obj.title if title is None else title


def submission_approve(
    obj, *, moderator, review: Review, recipient=None, title: str | None = None
) -> None:
    """Publish a pending item and email its author, or `recipient` (a profile's owner)."""
    if obj.status != Status.PENDING:
        raise ValidationError(review.not_pending_approve, code="state")
    with reversion.create_revision():
        obj.status = Status.PUBLISHED
        obj.published_at = obj.published_at or timezone.now()
        obj.save()
        record(user=moderator, comment=_("Approved"))
    review.on_published()
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(title)s is now published on the DSI Hub") % {"title": _title(obj, title)}
    _notify(obj, recipient, subject, review.approved_template, {}, review=review)


def submission_reject(
    obj, *, moderator, reason: str, review: Review, recipient=None, title: str | None = None
) -> None:
    """Turn down a pending item with a reason its author (or `recipient`) is emailed; they may
    correct it and submit it again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            review.no_reason or _("Please give the author a reason."), code="reason"
        )
    if obj.status != Status.PENDING:
        raise ValidationError(review.not_pending_reject, code="state")
    with reversion.create_revision():
        obj.status = Status.REJECTED
        obj.rejection_reason = reason
        obj.save()
        record(user=moderator, comment=_("Rejected: %(reason)s") % {"reason": reason})
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(title)s was not published on the DSI Hub") % {"title": _title(obj, title)}
    _notify(obj, recipient, subject, review.rejected_template, {"reason": reason}, review=review)


def submission_archive(obj, *, user, review: Review) -> None:
    """Take an item out of public view, keeping it and its history."""
    was_published = obj.is_published
    with reversion.create_revision():
        obj.status = Status.ARCHIVED
        obj.save()
        record(user=user, comment=_("Archived"))
    if was_published:
        review.on_published()
