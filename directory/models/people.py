"""People around profiles: members, invitations, requests to join, reports."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import optional_foreign_key
from directory.models.profiles import Organisation
from directory.models.profiles import Project
from directory.models.querysets import InvitationQuerySet
from directory.models.querysets import JoinRequestQuerySet
from directory.models.roles import Role


def person_field(verbose_name, related_name) -> models.ForeignKey:
    """The person a row is about (a member, who asks to join, a claimant): it goes with them."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        related_name=related_name,
    )


class AboutAProfile(models.Model):
    """Belongs to exactly one organisation or one project."""

    organisation = optional_foreign_key(
        Organisation, _("organisation"), on_delete=models.CASCADE, related_name="%(class)ss"
    )
    project = optional_foreign_key(
        Project, _("project"), on_delete=models.CASCADE, related_name="%(class)ss"
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, project__isnull=True)
                | models.Q(organisation__isnull=True, project__isnull=False),
                name="%(class)s_one_profile",
            )
        ]

    @property
    def profile(self):
        return self.organisation or self.project

    @classmethod
    def profile_kwargs(cls, profile) -> dict:
        """The filter/create arguments that point at this profile."""
        return {profile.kind: profile}


class Membership(AboutAProfile):
    user = person_field(_("person"), related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_public = models.BooleanField(_("shown on the profile"), default=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta(AboutAProfile.Meta):
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            *AboutAProfile.Meta.constraints,
            models.UniqueConstraint(fields=["user", "organisation"], name="member_of_org_once"),
            models.UniqueConstraint(fields=["user", "project"], name="member_of_proj_once"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(role="owner"),
                name="one_owner_per_org",
            ),
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(role="owner"), name="one_owner_per_proj"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) – {self.profile}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        placed = self._state.adding or update_fields is None or "role" in update_fields
        super().save(*args, **kwargs)
        if placed:
            self.answer_requests()

    def answer_requests(self) -> None:
        """The person has a place on the profile, however they got it (an accepted invitation,
        an approved claim, an admin adding them by hand): what they asked of it is answered, so
        nothing of theirs waits in a queue. Their request to join is accepted and their claim
        approved; the moderator or owner who gave them this role has decided it."""
        profile = self.profile
        now = timezone.now()
        profile.joinrequests.filter(user_id=self.user_id, state=JoinRequest.State.PENDING).update(
            state=JoinRequest.State.ACCEPTED, decided_at=now
        )
        # Claims (directory.models.claims) point here too, through the profile.
        claims = profile.claims
        claims.filter(user_id=self.user_id, status=claims.model.Status.PENDING).update(
            status=claims.model.Status.APPROVED, decided_at=now
        )


class Answerable(AboutAProfile):
    """An invitation or a request to join: waiting until it is answered, or until the one who
    sent it takes it back (an inviter cancelling, a person withdrawing their request)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta(AboutAProfile.Meta):
        abstract = True


class Invitation(Answerable):
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    invited_by = optional_foreign_key(settings.AUTH_USER_MODEL, _("invited by"))

    objects = InvitationQuerySet.as_manager()

    class Meta(Answerable.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(Lower("email"), "state", name="invitation_email_state")]

    def __str__(self):
        return f"{self.email} → {self.profile}"


class JoinRequest(Answerable):
    user = person_field(_("person"), related_name="join_requests")
    message = models.TextField(_("message"), max_length=1000, blank=True)
    decided_by = optional_foreign_key(settings.AUTH_USER_MODEL, _("answered by"))

    objects = JoinRequestQuerySet.as_manager()

    class Meta(Answerable.Meta):
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")

    def __str__(self):
        return f"{self.user} → {self.profile}"


class Report(AboutAProfile):
    """A visitor's report that a profile is spam, wrong or offensive, for moderators."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        INACCURATE = "inaccurate", _("wrong or out-of-date information")
        OFFENSIVE = "offensive", _("offensive or harmful content")
        DUPLICATE = "duplicate", _("a duplicate of another profile")
        OTHER = "other", _("something else")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")
        DISMISSED = "dismissed", _("dismissed")

    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    message = models.TextField(_("details"), max_length=2000, blank=True)
    reporter = optional_foreign_key(settings.AUTH_USER_MODEL, _("reported by"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = optional_foreign_key(settings.AUTH_USER_MODEL, _("resolved by"))

    class Meta(AboutAProfile.Meta):
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.profile}"
