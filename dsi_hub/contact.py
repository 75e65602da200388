"""The contact form's message to the people who run the hub, through the outgoing queue."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from directory.services.moderation import moderators

# Messages per client address and hour: enough for a person, too few for a flood.
CONTACT_MESSAGES_PER_HOUR = 10
CONTACT_RATE_PERIOD = 60 * 60


def contact_recipients() -> list[str]:
    """Who reads the contact form: the community admins (and superusers); the operator's
    address when there are none yet."""
    addresses = list(moderators().values_list("email", flat=True))
    return addresses or [settings.OPERATOR_EMAIL]


@transaction.atomic
def contact_message_send(
    *, name: str, email: str, subject: str, message: str, language: str = ""
) -> int:
    """Queue a visitor's message for the admins (core.mail: stored, sent by the worker after the
    commit), in the hub's main language, answerable by replying. Returns the number of
    recipients."""
    recipients = contact_recipients()
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "dsi_hub/contact_email.txt",
            {
                "name": name,
                "email": email,
                "subject": subject,
                "message": message,
                "language": language,
                "site_name": settings.SITE_NAME,
            },
        )
        full_subject = _("[%(site)s contact] %(subject)s") % {
            "site": settings.SITE_NAME,
            "subject": subject,
        }
    EmailMessage(subject=full_subject, body=body, to=recipients, reply_to=[email]).send()
    return len(recipients)
