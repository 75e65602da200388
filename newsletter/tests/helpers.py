"""Helpers the newsletter's tests share (not fixtures)."""

import re

from django.core import mail

from newsletter.models import Subscriber

SIGN_UP_URL = "/en/newsletter/"
THANKS_URL = "/en/newsletter/thanks/"


def sign_up_data(**overrides) -> dict:
    data = {"email": "Ada@Example.org", "language": "en", "consent": "on"}
    data.update(overrides)
    return data


def subscriber(email: str = "ada@example.org", **fields) -> Subscriber:
    from django.utils import timezone

    fields.setdefault("language", "en")
    fields.setdefault("consent_text", "I agree.")
    fields.setdefault("consent_at", timezone.now())
    return Subscriber.objects.create(email=email, **fields)


def link_in_last_email() -> str:
    """The path of the link in the last email delivered."""
    [url] = re.findall(r"https?://\S+", mail.outbox[-1].body)
    return re.sub(r"^https?://[^/]+", "", url)
