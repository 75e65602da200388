"""What every app needs to give a person their data and to forget them (GDPR art. 15, 17, 20).

accounts.services gathers a person's download and deletes their account; each app adds what it
holds from the accounts' signals (accounts.signals). The pieces every kind shares live here: the
copies of email kept in the outgoing table, the history (django-reversion and the admin's log),
the items a person submitted (events, funding opportunities) and the deletion of an item with
its files, history and moderators' notices.
"""

import json
import re
from email.utils import getaddresses

import reversion
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from reversion.models import Revision
from reversion.models import Version

from core.models import ModerationNotice
from core.models import OutgoingEmail
from core.models import Status

RECIPIENT_FIELDS = ("to", "cc", "bcc")
# Who a message came from, or whom its answers reach (the contact form's writer).
SENDER_FIELDS = ("from_email", "reply_to")


def dated(moment) -> str | None:
    """A date or time as the download writes it (ISO 8601), or None."""
    return moment.isoformat() if moment else None


def _long_enough(term) -> bool:
    """Whether a name is worth replacing where the person is known to be meant."""
    return bool(term) and len(term) > 2


def _distinctive(term) -> bool:
    """Whether a name or address says whom it means wherever it appears: a full name or an
    address does, "Ada" alone (a programming language too) does not."""
    return bool(term) and (len(term) >= 6 or " " in term.strip() or "@" in term)


def _terms_pattern(terms) -> re.Pattern | None:
    """Any of `terms` as a whole word, in any case (None when there is none to look for)."""
    terms = sorted({term for term in terms if _long_enough(term)}, key=len, reverse=True)
    if not terms:
        return None
    words = "|".join(re.escape(term) for term in terms)
    return re.compile(rf"(?<!\w)({words})(?!\w)", re.IGNORECASE)


def _addresses(message: dict, fields) -> set[str]:
    values = []
    for field in fields:
        value = message.get(field) or []
        values.extend([value] if isinstance(value, str) else value)
    return {address.lower() for _name, address in getaddresses(values) if address}


def _text(value) -> str:
    """Every piece of text in a stored message, one per line."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return "\n".join(_text(each) for each in value)
    return value if isinstance(value, str) else ""


def _mentioning(addresses, names=()):
    """Outgoing rows whose text holds one of the addresses or names: a coarse match in SQL, to
    be read exactly in Python."""
    terms = [term for term in (*addresses, *names) if term]
    if not terms:
        return OutgoingEmail.objects.none()
    query = Q()
    for term in terms:
        query |= Q(message__icontains=term)
    return OutgoingEmail.objects.filter(query).order_by("created_at", "pk")


def outgoing_emails_export(*, addresses) -> list[dict]:
    """Copies of the email sent to these (confirmed) addresses or written from them, as long as
    the outgoing table keeps them (core.outbox.outgoing_email_purge)."""
    addresses = {address.lower() for address in addresses}
    rows = []
    for email in _mentioning(addresses):
        message = email.message
        fields = (*RECIPIENT_FIELDS, *SENDER_FIELDS)
        if not addresses & _addresses(message, fields):
            continue
        rows.append(
            {
                "subject": message.get("subject", ""),
                "body": message.get("body", ""),
                "from": message.get("from_email") or "",
                "to": list(message.get("to", [])),
                "reply_to": list(message.get("reply_to", [])),
                "status": email.status,
                "created": dated(email.created_at),
                "sent": dated(email.sent_at),
            }
        )
    return rows


def outgoing_emails_forget(*, addresses, names=()) -> int:
    """Delete the copies of email to or from these addresses, and those whose text names the
    person; returns how many went. A message still queued for someone else that names them
    (an invitation they sent) is delivered and then purged as usual."""
    addresses = {address.lower() for address in addresses if address}
    names = [name for name in names if _distinctive(name)]
    pattern = _terms_pattern([*addresses, *names])
    doomed = []
    for email in _mentioning(addresses, names):
        message = email.message
        theirs = addresses & _addresses(message, (*RECIPIENT_FIELDS, *SENDER_FIELDS))
        named = pattern is not None and pattern.search(_text(message))
        if theirs or (named and email.status != OutgoingEmail.Status.QUEUED):
            doomed.append(email.pk)
    deleted, _ = OutgoingEmail.objects.filter(pk__in=doomed).delete()
    return deleted


# --- History ------------------------------------------------------------------------------------


def _placeholder() -> str:
    """What history says where it named a person whose account was deleted."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("a deleted account")


def _replacer(terms):
    """A function replacing each of `terms` (whole words, any case) with a neutral mention."""
    pattern = _terms_pattern(terms)
    if pattern is None:
        return lambda text: text
    placeholder = _placeholder()
    return lambda text: pattern.sub(placeholder, text) if isinstance(text, str) else text


def _max_lengths(model) -> dict[str, int]:
    """The longest text each of a model's columns takes: a replaced name ("a deleted account"
    is longer than many) must still fit, for the row to be saved or reverted to."""
    if model is None:
        return {}
    return {field.name: field.max_length for field in model._meta.fields if field.max_length}


def _user_links(model) -> list[str]:
    """The names of a model's foreign keys to people (what its history stores as their id)."""
    user_model = settings.AUTH_USER_MODEL.lower()
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.many_to_one
        and field.related_model._meta.label_lower == user_model
    ]


def _scrub(version, user, replace) -> bool:
    """Take the person out of one stored version: links to them emptied, their name and
    address replaced. Returns whether anything changed."""
    if version.format != "json":
        return False
    try:
        objects = json.loads(version.serialized_data)
    except ValueError:
        return False
    model = version.content_type.model_class()
    links = _user_links(model) if model is not None else []
    lengths = _max_lengths(model)
    for obj in objects:
        fields = obj.get("fields", {})
        for name, value in fields.items():
            if name in links or f"{name}_id" in links:
                if value == user.pk:
                    fields[name] = None
            elif (replaced := replace(value)) != value:
                fields[name] = replaced[: lengths.get(name)]
    data = json.dumps(objects, ensure_ascii=False)  # as Django's serializer writes it
    repr_ = replace(version.object_repr)
    if data == version.serialized_data and repr_ == version.object_repr:
        return False
    version.serialized_data, version.object_repr = data, repr_
    version.save(update_fields=["serialized_data", "object_repr"])
    return True


def history_forget(*, user, terms) -> None:
    """Take a person out of the history: stored versions that link to them or hold one of
    `terms` (their name, their addresses) have them replaced, revisions they made no longer
    name them (neither the link nor the note), and neither does the admin's log."""
    replace = _replacer(terms)
    mentioned = Q(pk__in=[])
    candidates = Q(revision__user=user)
    for term in filter(_distinctive, terms):
        mentioned |= Q(comment__icontains=term)
        candidates |= Q(serialized_data__icontains=term) | Q(object_repr__icontains=term)
    for model in reversion.get_registered_models():
        content_type = ContentType.objects.get_for_model(model)
        for link in _user_links(model):
            candidates |= Q(
                content_type=content_type,
                serialized_data__regex=rf'"{link.removesuffix("_id")}": {int(user.pk)}[,}}]',
            )
    for version in Version.objects.filter(candidates).select_related("content_type"):
        _scrub(version, user, replace)
    # One update for all their revisions, however many; only notes that name them are read.
    Revision.objects.filter(user=user).update(user=None)
    for revision in Revision.objects.filter(mentioned):
        # (Someone else's note that names them keeps its author.)
        revision.comment = replace(revision.comment)
        revision.save(update_fields=["comment"])
    # The admin's log keeps what was done, not whom it was done to.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    ).update(object_repr=_placeholder())
    logged = Q(pk__in=[])
    for term in filter(_distinctive, terms):
        logged |= Q(object_repr__icontains=term) | Q(change_message__icontains=term)
    repr_length = LogEntry._meta.get_field("object_repr").max_length
    for entry in LogEntry.objects.filter(logged):
        entry.object_repr = replace(entry.object_repr)[:repr_length]
        entry.change_message = replace(entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])


# --- Items a person submitted -----------------------------------------------------------------


def item_delete(obj) -> None:
    """Delete an item with its history, its moderators' notices and (once committed) its
    files: what goes with a person's account when nobody else looks after it."""
    content_type = ContentType.objects.get_for_model(type(obj))
    Version.objects.filter(content_type=content_type, object_id=str(obj.pk)).delete()
    ModerationNotice.objects.filter(content_type=content_type, object_id=str(obj.pk)).delete()
    obj.delete()  # its files go once committed, unless another row names them (core.files)


def items_delete(queryset) -> None:
    """item_delete for every row of `queryset`, in the same few queries however many rows."""
    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return
    Version.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model),
        object_id__in=[str(pk) for pk in pks],
    ).delete()
    notices_forget(queryset.model, pks)
    queryset.model._default_manager.filter(pk__in=pks).delete()  # files: core.files


def notices_forget(model, pks) -> None:
    """The moderators' notices of items about to go (their titles may name the person)."""
    ModerationNotice.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in pks],
    ).delete()


class SubmittedItems:
    """A person's part in one kind of submitted content (events, funding opportunities): what
    the download lists, and what goes with their account. Published items stay, without their
    author (the link empties itself); those not public (drafts, waiting, rejected, archived)
    were theirs alone and go."""

    def __init__(self, model, *, section: str):
        self.model = model
        self.section = section

    def export(self, sender=None, *, user, **kwargs) -> dict:
        rows = [
            {
                "title": item.title,
                "status": item.status,
                "address": item.get_permanent_url() if item.is_published else None,
                "created": dated(item.created_at),
                "updated": dated(item.updated_at),
                "submitted": dated(item.submitted_at),
                "published": dated(item.published_at),
                "rejection_reason": item.rejection_reason,
            }
            for item in self.model.objects.filter(created_by=user).order_by("created_at", "pk")
        ]
        return {self.section: rows}

    def forget(self, sender=None, *, user, **kwargs) -> None:
        items_delete(self.model.objects.filter(created_by=user).exclude(status=Status.PUBLISHED))
