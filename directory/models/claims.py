"""Claims: someone says a profile nobody looks after (an imported one, most often) is theirs.

A claim waits in the community admins' moderation queue (core.moderation: its `status`,
`submitted_at` and `summary` are what the queue reads) until it is approved, which makes the
claimant the profile's owner, or rejected with a reason, or its claimant withdraws it. A claimant
given a place on the profile another way (a membership the admin adds) has their answer: the
claim is approved then (Membership.save). An address at the profile's website's
domain, once its owner follows the link sent to it, marks the claim verified.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import WebAddressField
from core.models import optional_foreign_key
from directory.models.people import AboutAProfile
from directory.models.people import person_field


class ClaimQuerySet(models.QuerySet):
    def open(self):
        """Claims still waiting for a moderator."""
        return self.filter(status=Claim.Status.PENDING)

    def of_claimant(self, user):
        """The person's claims, newest first, with their profiles (for their dashboard)."""
        return (
            self.filter(user=user)
            .select_related("organisation", "project")
            .order_by("-submitted_at", "-pk")
        )


class Claim(AboutAProfile):
    class Status(models.TextChoices):
        # "pending" is core.models.Status.PENDING: the moderation queue lists these.
        PENDING = "pending", _("waiting for review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CLOSED = "closed", _("closed: the profile has an owner")
        WITHDRAWN = "withdrawn", _("withdrawn")

    user = person_field(_("claimant"), related_name="claims")
    summary = models.CharField(
        _("claim"), max_length=300, help_text=_("The profile and the claimant, for the queue.")
    )
    role = models.CharField(_("role at the profile"), max_length=200, blank=True)
    message = models.TextField(_("why it is theirs"), max_length=2000, blank=True)
    evidence_url = WebAddressField(_("link showing it"), max_length=500, blank=True)
    evidence_email = models.EmailField(_("address at the website's domain"), blank=True)
    email_verified_at = models.DateTimeField(_("address confirmed"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = optional_foreign_key(settings.AUTH_USER_MODEL, _("decided by"))
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta(AboutAProfile.Meta):
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            *AboutAProfile.Meta.constraints,
            # One open claim per person and profile.
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="one_open_claim_per_org",
            ),
            models.UniqueConstraint(
                fields=["user", "project"],
                condition=Q(status="pending"),
                name="one_open_claim_per_proj",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="claim_status_submitted")]

    def __str__(self):
        return self.summary

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None
