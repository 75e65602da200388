"""Notices to moderators: a short email soon after something new waits for them.

Every kind in the review queue (core.moderation.register_moderated) and whatever else waits for
moderators (visitors' reports: register_noticed) is watched here, so a kind added later gets its
notices without this module knowing its app. When an item arrives (saved while waiting, with a
fresh arrival time), a ModerationNotice row is written in the same transaction; after the commit
one task is scheduled BATCH_SECONDS later, unless one already is (a Redis marker), so a burst of
arrivals makes one email per moderator listing them all. The rows, not the marker nor the task,
say what is still to be told: a task lost with a killed worker is made up for by the next one
(and by the periodic sweep on beat), and a task run twice finds nothing left to send.

Moderators are the active staff with an email who may change the kind (the community admins,
superusers), less those whose user model says they do not want notices: the user model's
queryset may define `receiving_moderation_notices()` (accounts does).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import load_backend
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_save
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.translation import ngettext

from core.models import ModerationNotice
from core.models import absolute_url

# How long arrivals are gathered into one email.
BATCH_SECONDS = 180
# An item saved while waiting is new to moderators if it arrived this recently; later saves of
# a waiting item (an edit) are not news. The unique row per arrival makes repeats harmless.
FRESH = timedelta(minutes=10)
# The periodic sweep sends notices left unsent this long (their task was lost).
SWEEP_AFTER = timedelta(seconds=BATCH_SECONDS * 2)
MARKER = "core:moderation-notices:scheduled"
# Items named per kind in one email; the rest are counted, with a link to the queue.
LISTED_PER_KIND = 20
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class NoticedKind:
    """Rows of `model` wait for moderators while their fields equal `waiting`; they arrived at
    `arrived_field`; `title_field` names them (their str() when None)."""

    model: type
    waiting: dict
    arrived_field: str
    title_field: str | None = None

    def is_waiting(self, obj) -> bool:
        return all(getattr(obj, field) == value for field, value in self.waiting.items())

    def title(self, obj) -> str:
        return str(obj if self.title_field is None else getattr(obj, self.title_field))

    @property
    def change_permission(self) -> str:
        return f"{self.model._meta.app_label}.change_{self.model._meta.model_name}"


_noticed: dict[type, NoticedKind] = {}


def register_noticed(model, *, waiting: dict, arrived_field: str, title_field=None) -> None:
    """Tell moderators soon after a row of `model` starts waiting for them."""
    _noticed[model] = NoticedKind(model, dict(waiting), arrived_field, title_field)
    post_save.connect(_item_saved, sender=model, dispatch_uid=f"core.notices:{model._meta.label}")


def _item_saved(sender, instance, raw=False, **kwargs):
    # Plumbing, not a rule: whichever service puts an item in the queue, it is noticed here.
    kind = _noticed.get(sender)
    if raw or kind is None or not kind.is_waiting(instance):
        return
    arrived_at = getattr(instance, kind.arrived_field, None)
    if arrived_at is None or arrived_at < timezone.now() - FRESH:
        return
    notice_queue(obj=instance, title=kind.title(instance), arrived_at=arrived_at)


def notice_queue(*, obj, title: str, arrived_at) -> None:
    """Note that `obj` arrived in the queue, for the next notice email (once per arrival), and
    make sure a send is scheduled once the transaction commits."""
    ModerationNotice.objects.bulk_create(
        [
            ModerationNotice(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                title=title[:300],
                arrived_at=arrived_at,
            )
        ],
        ignore_conflicts=True,
    )
    transaction.on_commit(notices_schedule)


def notices_schedule() -> bool:
    """Schedule one send BATCH_SECONDS from now, unless one is already scheduled."""
    # The task lives above this module (it calls notices_send): imported here as core.outbox
    # imports its delivery task.
    from core.tasks import moderation_notices_send

    if not cache.add(MARKER, 1, timeout=BATCH_SECONDS * 2):
        return False
    moderation_notices_send.apply_async(countdown=BATCH_SECONDS)
    return True


def kind_moderators(kind: NoticedKind):
    """Who is told of the kind's new items: active staff with an email who may change it (the
    admin's links need staff) and have not switched notices off."""
    users = (
        load_backend(MODEL_BACKEND)
        .with_perm(kind.change_permission, is_active=True, include_superusers=True)
        .filter(is_staff=True)
        .exclude(email="")
        .order_by("pk")
    )
    receiving = getattr(users, "receiving_moderation_notices", None)
    return receiving() if receiving is not None else users


def _admin_url(name: str, *args, query: str = "") -> str:
    return absolute_url(reverse(f"admin:{name}", args=args) + query)


def _still_waiting(kind: NoticedKind, notices: list[ModerationNotice]) -> set[str]:
    """Of these items, the ids of those still waiting (one dealt with meanwhile is no news)."""
    ids = [notice.object_id for notice in notices]
    waiting = kind.model.objects.filter(pk__in=ids, **kind.waiting).values_list("pk", flat=True)
    return {str(pk) for pk in waiting}


def notices_send(*, older_than: timedelta | None = None) -> int:
    """Email each moderator one message naming the items that arrived since the last notices;
    returns the number of emails queued.

    Safe to run twice, or at once in two workers: the unsent notices are locked (others skip
    them) and marked sent in the transaction that queues the emails. `older_than` leaves the
    latest arrivals to their own scheduled send (the periodic sweep uses it).
    """
    if older_than is None:
        cache.delete(MARKER)  # the scheduled send: what arrives from now on schedules the next
    with transaction.atomic():
        unsent = ModerationNotice.objects.select_for_update(skip_locked=True).filter(
            sent_at__isnull=True
        )
        if older_than is not None:
            unsent = unsent.filter(created_at__lt=timezone.now() - older_than)
        notices = list(unsent.order_by("arrived_at", "pk"))
        if not notices:
            return 0
        by_model = defaultdict(list)
        for notice in notices:
            model = ContentType.objects.get_for_id(notice.content_type_id).model_class()
            if model in _noticed:
                by_model[model].append(notice)
        sent = _send(by_model)
        ModerationNotice.objects.filter(pk__in=[notice.pk for notice in notices]).update(
            sent_at=timezone.now()
        )
    return sent


def _send(by_model: dict) -> int:
    kinds_by_person = defaultdict(list)
    people = {}
    with translation.override(settings.LANGUAGE_CODE):
        for model, notices in sorted(by_model.items(), key=lambda entry: entry[0]._meta.label):
            kind = _noticed[model]
            waiting = _still_waiting(kind, notices)
            items = [notice for notice in notices if notice.object_id in waiting]
            if not items:
                continue
            admin_name = f"{model._meta.app_label}_{model._meta.model_name}"
            entry = {
                "label": model._meta.verbose_name_plural,
                "count": len(items),
                "items": [
                    {
                        "title": notice.title,
                        "url": _admin_url(f"{admin_name}_change", notice.object_id),
                    }
                    for notice in items[:LISTED_PER_KIND]
                ],
                "more": max(0, len(items) - LISTED_PER_KIND),
                "queue_url": _admin_url(f"{admin_name}_changelist"),
            }
            for person in kind_moderators(kind):
                people[person.pk] = person
                kinds_by_person[person.pk].append(entry)
        queue_url = absolute_url(reverse("moderation_queue"))
        for pk, kinds in kinds_by_person.items():
            count = sum(entry["count"] for entry in kinds)
            subject = ngettext(
                "DSI Hub moderation: %(count)s new item waits for review",
                "DSI Hub moderation: %(count)s new items wait for review",
                count,
            ) % {"count": count}
            body = render_to_string(
                "core/email/moderation_notice.txt",
                {
                    "user": people[pk],
                    "kinds": kinds,
                    "count": count,
                    "queue_url": queue_url,
                    "site_url": settings.SITE_URL,
                },
            )
            send_mail(subject, body, None, [people[pk].email])
    return len(kinds_by_person)
