"""The lifecycle every moderated kind shares (profiles, events, funding opportunities): created
and edited with a history entry, submitted for review, approved or rejected with a reason (its
author, or a profile's owner, is emailed), archived.

Each app's services wrap these steps with what differs: who may change an item, its own
wording, its email templates, its search index and the version its cached pages follow
(`on_published`, called when published content changed). These run inside the caller's
transaction: the apps' services are atomic, and a nested one would add savepoint queries.
The kinds that practitioners submit (events, funding opportunities) differ in no more than
that, so SubmissionLifecycle makes their services from one declaration each.
"""

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from core.models import Status
from core.submissions import apply_relations
from core.submissions import notify_author
from core.submissions import record
from core.submissions import submission_can_edit
from core.submissions import unique_slug


def _nothing_more(obj) -> list[str]:
    return []


@dataclass(frozen=True)
class Editing:
    """How one kind of item is edited: `apply` sets a form's fields and names those that
    changed, `validate(obj, exclude=...)` checks the item but the fields excluded,
    `reindex` refreshes what is derived from it (search text...), `on_published` moves its
    cached pages on.

    A draft saves whatever is valid; the rules of complete content apply at submission:
    `needed_at_submission` maps the model fields a draft may leave empty (stored null or
    blank) to what its author is asked for ("when it happens"), and `also_needed(obj)` names
    what else a submitted item lacks (one of two fields, say)."""

    apply: Callable[..., list[str]]
    validate: Callable[..., None]
    reindex: Callable[..., None]
    on_published: Callable[[], object]
    needed_at_submission: Mapping[str, str] = field(default_factory=dict)
    also_needed: Callable[[object], list[str]] = _nothing_more

    def lacking(self, obj) -> list[str]:
        """The needed fields the item leaves empty."""
        return [
            name
            for name in self.needed_at_submission
            if getattr(obj, obj._meta.get_field(name).attname) in (None, "")
        ]

    def missing(self, obj) -> list[str]:
        """What the item lacks before it can be submitted, as what to ask its author for."""
        asks = [self.needed_at_submission[name] for name in self.lacking(obj)]
        return list(dict.fromkeys(str(ask) for ask in [*asks, *self.also_needed(obj)]))

    def check(self, obj) -> None:
        """Validate the item; a draft may lack what is needed only at submission."""
        drafted = obj.status in (Status.DRAFT, Status.REJECTED)
        self.validate(obj, exclude=self.lacking(obj) if drafted else [])


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
        editing.check(obj)
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
        editing.check(obj)
        obj.save()
        changed += apply_relations(obj, relations or {})
        record(user=user, comment=_("Changed %(fields)s") % {"fields": ", ".join(changed)})
    editing.reindex(obj)
    if obj.is_published:
        editing.on_published()
    return changed


def submission_submit(obj, *, user, review: Review, missing: list[str] = ()) -> None:
    """Send a draft (or a rejected item, corrected) for review, once nothing is `missing`."""
    if obj.status not in (Status.DRAFT, Status.REJECTED):
        raise ValidationError(
            review.not_submittable or _("Only drafts can be submitted for review."), code="state"
        )
    if missing:
        raise ValidationError(
            _("Before submitting, please add %(missing)s.") % {"missing": ", ".join(missing)},
            code="incomplete",
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


# --- One kind of submitted content: its app's services --------------------------------------------


class SubmissionLifecycle:
    """The lifecycle of one kind of content that practitioners submit and editors add (events,
    funding opportunities): the steps above, with the kind's `editing`, its wording and its
    reserved slugs. Only its author, or whoever may change any of the kind (community admins,
    editors), may update, submit or archive an item; anyone else gets the kind's `forbidden`.

    The kind's `name` is its model's ("event"): what its authors' emails call an item and their
    templates' names (`<app>/email/<name>_approved.txt`, `..._rejected.txt`). An app's services
    module declares its kind's lifecycle once (`events.services.LIFECYCLE`) and its methods are
    the kind's public write services, each one transaction, called by the submission views
    (core.submission_views), the admin (core.submission_admin) and the tests alike."""

    def __init__(
        self,
        model,
        *,
        editing: Editing,
        reserved_slugs,
        forbidden: str,
        not_pending_approve: str,
        not_pending_reject: str,
    ):
        self.model = model
        self.name = model._meta.model_name
        self.editing = editing
        self.reserved_slugs = frozenset(reserved_slugs)
        self.forbidden = forbidden
        emails = f"{model._meta.app_label}/email/{self.name}"
        self.review = Review(
            name=self.name,
            approved_template=f"{emails}_approved.txt",
            rejected_template=f"{emails}_rejected.txt",
            not_pending_approve=not_pending_approve,
            not_pending_reject=not_pending_reject,
            on_published=editing.on_published,
        )

    def unique_slug(self, title: str, *, exclude_pk=None) -> str:
        """A readable slug for the title, unused by the kind and none of its reserved ones."""
        return unique_slug(
            self.model,
            title,
            fallback=self.name,
            reserved=self.reserved_slugs,
            exclude_pk=exclude_pk,
        )

    def can_edit(self, obj, user) -> bool:
        """Its author, or whoever may change any of the kind (community admins, editors)."""
        return submission_can_edit(obj, user)

    def require_can_edit(self, obj, user) -> None:
        if not self.can_edit(obj, user):
            raise PermissionDenied(str(self.forbidden))

    @transaction.atomic
    def create(
        self,
        *,
        user,
        title: str,
        fields: dict,
        relations: dict | None = None,
        status: str = Status.DRAFT,
    ):
        """A new item: a practitioner's draft, or (from the admin) published at once."""
        obj = self.model(title=title.strip(), created_by=user, status=status)
        obj.slug = self.unique_slug(obj.title)
        submission_create(obj, user=user, fields=fields, relations=relations, editing=self.editing)
        return obj

    @transaction.atomic
    def update(self, obj, *, user, fields: dict, relations: dict | None = None) -> list[str]:
        """Change the item; a published one's changes go live at once, kept in history."""
        self.require_can_edit(obj, user)
        return submission_update(
            obj, user=user, fields=fields, relations=relations, editing=self.editing
        )

    @transaction.atomic
    def submit(self, obj, *, user) -> None:
        """Send a draft (or a rejected item, corrected) to the community admins, once it has
        what a draft could leave out."""
        self.require_can_edit(obj, user)
        submission_submit(obj, user=user, review=self.review, missing=self.editing.missing(obj))

    @transaction.atomic
    def approve(self, obj, *, moderator) -> None:
        """Publish a pending item and tell whoever submitted it."""
        submission_approve(obj, moderator=moderator, review=self.review)

    @transaction.atomic
    def reject(self, obj, *, moderator, reason: str) -> None:
        """Turn down a pending item with a reason; it may be corrected and resubmitted."""
        submission_reject(obj, moderator=moderator, reason=reason, review=self.review)

    @transaction.atomic
    def archive(self, obj, *, user) -> None:
        """Take the item out of public view, keeping it and its history."""
        self.require_can_edit(obj, user)
        submission_archive(obj, user=user, review=self.review)
