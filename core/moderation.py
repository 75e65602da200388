"""The kinds of content that community admins review before it is published.

Each app registers its moderated models from its AppConfig.ready() (register_moderated): the
moderation queue and the moderators' daily digest then cover every kind, including those added
later, without the code that reads the registry knowing the apps; moderators are told of each
new submission within minutes (core.notices). What accounts do that is not reviewed but may be
abused (invitations mailed to any address) is registered with register_watched: the queue
lists the accounts that did much of it lately.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils import timezone

from core.models import Status
from core.notices import register_noticed


@dataclass(frozen=True)
class ModeratedKind:
    """A model whose rows go through the review lifecycle (core.lifecycle): they have a status,
    `submitted_at` and a title field; `spam_scored` ones carry a `spam_score` too."""

    model: type
    order: int
    title_field: str = "title"
    spam_scored: bool = False

    @property
    def label(self) -> str:
        return self.model._meta.verbose_name_plural

    @property
    def admin_name(self) -> str:
        """The admin's URL names start so: "<app>_<model>" (+ "_change", "_changelist")."""
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}"


_kinds: dict[type, ModeratedKind] = {}


def register_moderated(model, *, order: int, title_field: str = "title", spam_scored=False):
    """Put `model`'s pending rows in the moderators' queue and digest, ordered by `order`, and
    tell moderators soon after one is submitted (core.notices)."""
    _kinds[model] = ModeratedKind(model, order, title_field, spam_scored)
    register_noticed(
        model,
        waiting={"status": Status.PENDING},
        arrived_field="submitted_at",
        title_field=title_field,
    )


def moderated_kinds() -> list[ModeratedKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.order)


def kinds_moderated_by(user) -> list[ModeratedKind]:
    """The moderated kinds whose items the user may change (approve, reject)."""
    return [
        kind
        for kind in moderated_kinds()
        if user.has_perm(f"{kind.model._meta.app_label}.change_{kind.model._meta.model_name}")
    ]


def moderation_queue(user, *, per_kind: int = 50) -> list[dict]:
    """What waits for review, for one moderator: each kind they may change, with its count and
    its longest-waiting items (two queries per kind, whatever the queue's length)."""
    queue = []
    for kind in kinds_moderated_by(user):
        compares = _has_admin_page(f"{kind.admin_name}_compare")
        pending = kind.model.objects.filter(status=Status.PENDING)
        columns = ["pk", kind.title_field, "submitted_at"]
        if kind.spam_scored:
            columns.append("spam_score")
        items = [
            {
                "title": getattr(item, kind.title_field),
                "submitted_at": item.submitted_at,
                "spam_score": item.spam_score if kind.spam_scored else None,
                "url": reverse(f"admin:{kind.admin_name}_change", args=[item.pk]),
                "changes_url": reverse(f"admin:{kind.admin_name}_compare", args=[item.pk])
                if compares
                else "",
            }
            for item in pending.order_by("submitted_at", "pk").only(*columns)[:per_kind]
        ]
        queue.append(
            {
                "label": kind.label,
                "count": pending.count() if len(items) == per_kind else len(items),
                "items": items,
                "spam_scored": kind.spam_scored,
                "url": reverse(f"admin:{kind.admin_name}_changelist")
                + f"?status__exact={Status.PENDING}",
            }
        )
    return queue


def _has_admin_page(name: str) -> bool:
    """Whether a kind's admin has this page of an item (one whose admin is not a
    core.moderation_admin one may not compare versions)."""
    try:
        reverse(f"admin:{name}", args=[0])
    except NoReverseMatch:
        return False
    return True


@dataclass(frozen=True)
class WatchedActivity:
    """Rows accounts make that moderators keep an eye on: those of `model` whose
    `account_field` (a foreign key to the account) made at least `threshold` in the last `hours`
    (by `time_field`), under `label`."""

    model: type
    label: str
    account_field: str
    threshold: int
    hours: int = 24
    time_field: str = "created_at"


_watched: dict[tuple[type, str], WatchedActivity] = {}


def register_watched(
    model,
    *,
    label,
    account_field: str,
    threshold: int,
    hours: int = 24,
    time_field: str = "created_at",
):
    """List on the moderation queue the accounts that made many `model` rows lately."""
    _watched[model, account_field] = WatchedActivity(
        model, label, account_field, threshold, hours, time_field
    )


def busy_accounts(user, *, shown: int = 20) -> list[dict]:
    """For each watched activity the moderator may see in the admin: the accounts that did it
    at least its threshold of times lately, the busiest first, each linking to their rows (one
    query each)."""
    sections = []
    for watch in _watched.values():
        opts = watch.model._meta
        may = (f"{opts.app_label}.{action}_{opts.model_name}" for action in ("view", "change"))
        if not any(user.has_perm(permission) for permission in may):
            continue
        account = watch.account_field
        email = f"{account}__{opts.get_field(account).related_model.get_email_field_name()}"
        since = timezone.now() - timedelta(hours=watch.hours)
        rows = (
            watch.model.objects.filter(**{f"{watch.time_field}__gte": since})
            .exclude(**{f"{account}__isnull": True})
            .values(account, email)
            .annotate(count=Count("pk"))
            .filter(count__gte=watch.threshold)
            .order_by("-count", account)[:shown]
        )
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        sections.append(
            {
                "label": watch.label,
                "threshold": watch.threshold,
                "accounts": [
                    {
                        "email": row[email],
                        "count": row["count"],
                        "url": f"{changelist}?{account}__id__exact={row[account]}",
                    }
                    for row in rows
                ],
            }
        )
    return sections
