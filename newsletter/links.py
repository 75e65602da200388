"""The signed links of the newsletter's emails: to confirm an address, and to manage or end a
subscription without logging in (django.core.signing; each purpose its own salt)."""

from django.core import signing
from django.urls import reverse
from django.utils import translation

from core.hosts import site_url
from newsletter.models import Subscriber

CONFIRM_SALT = "newsletter.confirm"
MANAGE_SALT = "newsletter.manage"
# A confirmation link lasts as long as an unconfirmed address is kept (services.PURGE_AFTER).
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60


class InvalidLink(Exception):
    """A link altered, expired, or naming an address no longer (or differently) subscribed."""


def confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email.lower()}, salt=CONFIRM_SALT)


def manage_token(subscriber: Subscriber) -> str:
    """For preferences and unsubscribing: no expiry, as emails are kept and read late."""
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email.lower()}, salt=MANAGE_SALT)


def subscriber_from_token(token: str, *, salt: str, max_age: int | None = None) -> Subscriber:
    """The subscriber a link names, or InvalidLink."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature as error:
        raise InvalidLink from error
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise InvalidLink
    subscriber = Subscriber.objects.filter(pk=data["s"]).first()
    if subscriber is None or subscriber.email.lower() != data.get("e"):
        raise InvalidLink
    return subscriber


def absolute_url(name: str, *, token: str, language: str) -> str:
    with translation.override(language):
        return site_url() + reverse(name, kwargs={"token": token})


def confirm_url(subscriber: Subscriber) -> str:
    return absolute_url(
        "newsletter:confirm", token=confirm_token(subscriber), language=subscriber.language
    )


def preferences_path(subscriber: Subscriber) -> str:
    """The preferences page, in the current language, for links on the hub's own pages."""
    return reverse("newsletter:preferences", kwargs={"token": manage_token(subscriber)})


def unsubscribe_path(subscriber: Subscriber) -> str:
    return reverse("newsletter:unsubscribe", kwargs={"token": manage_token(subscriber)})


def preferences_url(subscriber: Subscriber) -> str:
    return absolute_url(
        "newsletter:preferences", token=manage_token(subscriber), language=subscriber.language
    )


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url(
        "newsletter:unsubscribe", token=manage_token(subscriber), language=subscriber.language
    )


def unsubscribe_headers(subscriber: Subscriber) -> dict[str, str]:
    """The headers of every newsletter email to `subscriber`: one-click unsubscribing (RFC 8058)
    by a POST to the signed address, which needs no cookie and no CSRF token."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
