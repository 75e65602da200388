"""The newsletter's subscribers: anyone, with or without an account, by double opt-in."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from directory.models import Country
from directory.models import SocialArea


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    SUSPENDED = "suspended", _("Suspended")


class ContentKind(models.TextChoices):
    """What a subscriber wants to hear about."""

    PROFILES = "profiles", _("Organisations and projects")
    EVENTS = "events", _("Events")
    FUNDING = "funding", _("Funding")
    STORIES = "stories", _("Stories")


class SubscriberQuerySet(models.QuerySet):
    def with_email(self, email: str):
        """The address whatever its case (addresses are unique case aside)."""
        return self.filter(email__iexact=email.strip())

    def with_emails(self, addresses):
        """Any of these lower-cased addresses (by the unique index on the lower-cased email)."""
        return self.alias(email_lower=Lower("email")).filter(email_lower__in=list(addresses))

    def pending(self):
        return self.filter(status=SubscriberStatus.PENDING)

    def confirmed(self):
        """Those who may be mailed: only confirmed addresses ever are."""
        return self.filter(status=SubscriberStatus.CONFIRMED)

    def unconfirmed_since(self, moment):
        """Pending addresses whose last sign-up was before `moment` (their link has expired)."""
        return self.pending().filter(consent_at__lt=moment)


class Subscriber(models.Model):
    """An address that signed up to the newsletter, with its language, interests and the consent
    it gave (the wording shown, and when: `consent_at` is the latest sign-up)."""

    email = models.EmailField(_("email address"), max_length=254)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    social_areas = models.ManyToManyField(
        SocialArea, blank=True, related_name="+", verbose_name=_("social areas")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries")
    )
    content_kinds = ArrayField(
        models.CharField(max_length=16, choices=ContentKind.choices),
        blank=True,
        default=list,
        verbose_name=_("kinds of content"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
        db_index=True,
    )
    consent_text = models.TextField(_("consent wording"))
    consent_at = models.DateTimeField(_("consent given"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci"),
            models.CheckConstraint(
                condition=models.Q(status__in=SubscriberStatus.values),
                name="newsletter_subscriber_status",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="newsletter_subscriber_language",
            ),
        ]

    def __str__(self):
        return self.email

    def preferences(self) -> dict:
        """The language and interests as the preferences form takes them (two queries)."""
        return {
            "language": self.language,
            "social_areas": [str(pk) for pk in self.social_areas.values_list("pk", flat=True)],
            "countries": [str(pk) for pk in self.countries.values_list("pk", flat=True)],
            "content_kinds": self.content_kinds,
        }
