"""Email: every message goes out through a Celery task.

Django's mail API (and allauth, and the admin) hand messages to ``CeleryEmailBackend``. It stores
each one as an ``OutgoingEmail`` row and queues the delivery task once the transaction commits. The
task delivers through ``EMAIL_DELIVERY_BACKEND``: the console in development, SMTP from
``EMAIL_URL`` in production.
"""

import base64

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail import EmailMultiAlternatives
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend


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
        "subject": str(message.subject),
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
