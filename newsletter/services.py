"""The newsletter's writes: signing up (double opt-in), confirming, changing preferences,
unsubscribing, and purging addresses never confirmed."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from core.ratelimit import rate_limit_hit
from newsletter import links
from newsletter.models import Subscriber
from newsletter.models import SubscriberStatus

# Unconfirmed addresses are kept this long after their last sign-up, then forgotten.
PURGE_AFTER = timedelta(seconds=links.CONFIRM_MAX_AGE)
# Confirmation emails to one address per hour, whoever asks: signing someone else up again and
# again must not flood their inbox.
CONFIRMATIONS_PER_ADDRESS_HOUR = 3


def _interests_set(
    subscriber: Subscriber,
    *,
    social_area_ids: Iterable[int],
    country_ids: Iterable[int],
    content_kinds: Iterable[str],
) -> None:
    subscriber.social_areas.set(list(social_area_ids))
    subscriber.countries.set(list(country_ids))
    subscriber.content_kinds = sorted(set(content_kinds))


def confirmation_send(subscriber: Subscriber) -> bool:
    """Queue the email with the confirmation link (core.mail), in the subscriber's language;
    False when this address has had enough of them this hour."""
    if not rate_limit_hit(
        action="newsletter-confirm",
        key=subscriber.email.lower(),
        limit=CONFIRMATIONS_PER_ADDRESS_HOUR,
        period=60 * 60,
    ):
        return False
    with translation.override(subscriber.language):
        body = render_to_string(
            "newsletter/confirm_email.txt",
            {
                "confirm_url": links.confirm_url(subscriber),
                "site_name": settings.SITE_NAME,
                "days": PURGE_AFTER.days,
            },
        )
        subject = _("Confirm your subscription to the %(site)s newsletter") % {
            "site": settings.SITE_NAME
        }
    EmailMessage(subject=subject, body=body, to=[subscriber.email]).send()
    return True


@transaction.atomic
def subscriber_sign_up(
    *,
    email: str,
    language: str,
    consent_text: str,
    social_area_ids: Iterable[int] = (),
    country_ids: Iterable[int] = (),
    content_kinds: Iterable[str] = (),
) -> Subscriber:
    """Sign an address up, pending until it follows the emailed link. A new, pending or
    unsubscribed address gets the link (again); a confirmed or suspended one is left as it is.
    The caller answers the same whatever happened, so nobody learns whether an address is known.
    """
    email = email.strip()
    interests = {
        "social_area_ids": social_area_ids,
        "country_ids": country_ids,
        "content_kinds": content_kinds,
    }
    subscriber = Subscriber.objects.select_for_update().with_email(email).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    email=email,
                    language=language,
                    consent_text=consent_text,
                    consent_at=timezone.now(),
                    content_kinds=sorted(set(content_kinds)),
                )
        except IntegrityError:  # signed up at the same moment by another request
            return Subscriber.objects.select_for_update().with_email(email).get()
        subscriber.social_areas.add(*social_area_ids)
        subscriber.countries.add(*country_ids)
    elif subscriber.status in (SubscriberStatus.PENDING, SubscriberStatus.UNSUBSCRIBED):
        subscriber.status = SubscriberStatus.PENDING
        subscriber.language = language
        subscriber.consent_text = consent_text
        subscriber.consent_at = timezone.now()
        _interests_set(subscriber, **interests)
        subscriber.save()
    else:
        return subscriber
    confirmation_send(subscriber)
    return subscriber


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> bool:
    """Confirm a pending address (following the link twice is harmless); False for an address
    that is no longer pending (unsubscribed or suspended since: the old link does nothing)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return True
    if subscriber.status != SubscriberStatus.PENDING:
        return False
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at"])
    return True


@transaction.atomic
def subscriber_preferences_update(
    *,
    subscriber: Subscriber,
    language: str,
    social_area_ids: Iterable[int],
    country_ids: Iterable[int],
    content_kinds: Iterable[str],
) -> Subscriber:
    """Change what a subscriber receives and in which language."""
    subscriber.language = language
    _interests_set(
        subscriber,
        social_area_ids=social_area_ids,
        country_ids=country_ids,
        content_kinds=content_kinds,
    )
    subscriber.save(update_fields=["language", "content_kinds"])
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop mailing an address; doing it twice keeps the first date."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber


def subscribers_purge_unconfirmed(*, now=None) -> int:
    """Forget addresses left unconfirmed for PURGE_AFTER since their last sign-up; how many.
    Running it again finds nothing more to do."""
    moment = (now or timezone.now()) - PURGE_AFTER
    deleted, by_model = Subscriber.objects.unconfirmed_since(moment).delete()
    return by_model.get(Subscriber._meta.label, 0)
