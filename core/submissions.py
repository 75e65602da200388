"""What the services of submitted content share (events, funding opportunities): readable
unique slugs, applying a form's fields and relations, and the history entry's author and note."""

import reversion
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from core.hosts import site_url
from core.html import sanitize_html
from core.ratelimit import client_ip
from core.ratelimit import rate_limit_exceeded
from core.ratelimit import rate_limit_hit

DAY = 24 * 60 * 60


def unique_slug(model, title: str, *, fallback: str, reserved=frozenset(), exclude_pk=None) -> str:
    """A readable, unused slug for the title ("open-data-day", "open-data-day-2"), in one query."""
    base = (slugify(title) or fallback)[:200].strip("-")
    taken = set(
        model.objects.filter(slug__regex=rf"^{base}(-[0-9]+)?$")
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    taken |= set(reserved)
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def apply_fields(obj, fields: dict, *, html_fields=(), cleaners=None) -> list[str]:
    """Set the fields that change (HTML cleaned, other values through `cleaners[name]`) and
    name them."""
    cleaners = cleaners or {}
    changed = []
    for name, value in fields.items():
        if name in html_fields:
            value = sanitize_html(value)
        if name in cleaners:
            value = cleaners[name](value)
        # A foreign key not set yet raises an AttributeError: the default catches it.
        if getattr(obj, name, None) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def apply_relations(obj, relations: dict) -> list[str]:
    """Set the many-to-many relations that change (name -> rows) and name them."""
    changed = []
    for name, rows in relations.items():
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != {row.pk for row in rows}:
            manager.set(rows)
            changed.append(name)
    return changed


def record(*, user, comment: str) -> None:
    """Who made the revision being recorded, and why."""
    if user is not None and user.is_authenticated:
        reversion.set_user(user)
    reversion.set_comment(comment)


def notify_author(*, author, subject, template: str, context: dict) -> None:
    """Email whoever submitted something (in the site's language): approved, rejected..."""
    if author is None or not author.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {**context, "user": author, "site_url": site_url()})
        send_mail(str(subject), body, None, [author.email])


class CreationLimits:
    """Daily limits on new submissions of one kind, per account and per address (the same
    rule as new directory profiles): `reached` checks without counting, `count` counts one
    creation against each limit and says whether it was still allowed."""

    def __init__(self, kind: str, *, per_account: int, per_address: int):
        self.kind, self.per_account, self.per_address = kind, per_account, per_address

    def _limits(self, request) -> list[tuple[str, str, int]]:
        return [
            (f"{self.kind}-create-account", str(request.user.pk), self.per_account),
            (f"{self.kind}-create-address", client_ip(request), self.per_address),
        ]

    def reached(self, request) -> bool:
        return any(
            rate_limit_exceeded(action=action, key=key, limit=limit)
            for action, key, limit in self._limits(request)
        )

    def count(self, request) -> bool:
        results = [
            rate_limit_hit(action=action, key=key, limit=limit, period=DAY)
            for action, key, limit in self._limits(request)
        ]
        return all(results)


def submission_can_edit(obj, user) -> bool:
    """Whoever submitted an item may change it, and so may those who may change any of its
    kind (community admins)."""
    if not user.is_authenticated:
        return False
    opts = obj._meta
    if user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return True
    return obj.created_by_id is not None and obj.created_by_id == user.pk
