"""Email: every message goes out through a Celery task.

Django's mail API (and allauth, and the admin) hand messages to ``CeleryEmailBackend``. It stores
each one as an ``OutgoingEmail`` row and queues the delivery task once the transaction commits. The
task delivers through ``EMAIL_DELIVERY_BACKEND``: the console in development, SMTP from
``EMAIL_URL`` in production. core.outbox tells how a row is delivered once, and again only
with the same Message-ID.
"""

import base64
import ipaddress
from datetime import timedelta
from email.utils import make_msgid
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail import EmailMultiAlternatives
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from core.fields import single_line
from core.hosts import site_url

# How long a row stays in the hands of whoever has it (the broker's queue, then one delivery
# attempt) before the sweeper queues it again. An attempt cannot outlive it: the delivery
# task's hard time limit (core.tasks) is shorter.
DELIVERY_LEASE = timedelta(minutes=5)


def delivery_lease_end():
    """When a lease taken now runs out."""
    return timezone.now() + DELIVERY_LEASE


def message_id_domain() -> str:
    """The domain of the hub's Message-IDs: SITE_URL's host, or where that is no public name
    (development's localhost or an address) the domain of DEFAULT_FROM_EMAIL."""
    host = urlsplit(site_url()).hostname or ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if "." in host and not host.endswith(".localhost"):
            return host
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "invalid"


def new_message_id() -> str:
    """A Message-ID for a new outgoing row, kept for every attempt to send it: receivers (and
    people) can tell a message delivered twice is one message."""
    return make_msgid(domain=message_id_domain())


def message_to_dict(message: EmailMessage) -> dict:
    """A JSON-safe form of an email message."""
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append(
            {
                "filename": filename,
                "content": base64.b64encode(content).decode("ascii"),
                "mimetype": mimetype,
            }
        )
    return {
        # A subject is one header line: a line break in a name must not refuse the message.
        "subject": single_line(str(message.subject)),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def message_from_dict(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for attachment in data["attachments"]:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return message


def delivery_connection():
    """A connection to the backend that really delivers mail."""
    return get_connection(settings.EMAIL_DELIVERY_BACKEND)


class CeleryEmailBackend(BaseEmailBackend):
    """Queues each message for delivery by a Celery task, after the transaction commits."""

    def send_messages(self, email_messages):
        from core.outbox import outgoing_email_queue

        for message in email_messages:
            outgoing_email_queue(message=message)
        return len(email_messages)
