"""A person's newsletter subscription, in their data download and gone with their account:
the subscription of any address they have confirmed as theirs (accounts.signals)."""

from accounts.services import user_confirmed_emails
from core.personal_data import dated
from newsletter.models import Subscriber


def subscriptions_export(sender=None, *, user, **kwargs) -> dict:
    """The download's "newsletter" section: each subscription with its consent and dates."""
    rows = [
        {
            "email": subscriber.email,
            "status": subscriber.status,
            "language": subscriber.language,
            "social_areas": sorted(area.name for area in subscriber.social_areas.all()),
            "countries": sorted(country.code for country in subscriber.countries.all()),
            "content_kinds": subscriber.content_kinds,
            "consent_text": subscriber.consent_text,
            "consent_given": dated(subscriber.consent_at),
            "created": dated(subscriber.created_at),
            "confirmed": dated(subscriber.confirmed_at),
            "unsubscribed": dated(subscriber.unsubscribed_at),
        }
        for subscriber in Subscriber.objects.with_emails(user_confirmed_emails(user))
        .prefetch_related("social_areas", "countries")
        .order_by("created_at", "pk")
    ]
    return {"newsletter": rows}


def subscriptions_forget(sender=None, *, user, **kwargs) -> None:
    """Deleting an account forgets the subscriptions of its confirmed addresses: the person
    asked the hub to forget them (they can subscribe again, account or not)."""
    Subscriber.objects.with_emails(user_confirmed_emails(user)).delete()
