"""Claims on profiles nobody owns: make, verify by email, approve or reject.

A logged-in person says a published profile with no owner is theirs, with their role, a reason
and evidence. An address at the profile's website's domain is sent a link; following it marks
the claim verified. Community admins approve a claim (the claimant becomes the owner, through
the member services, and every other open claim on the profile is closed) or reject it with a
reason. Every email goes through the outgoing queue once the transaction commits.

Verified claims are not approved automatically: many of the imported profiles' domains have
lapsed since 2017 and may belong to someone else now, so a moderator still looks (the verified
mark lets them approve at once).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from core.models import Status
from core.models import absolute_url
from core.ratelimit import rate_limit_hit
from directory.models import Claim
from directory.models import Membership
from directory.models import Organisation
from directory.models import Project
from directory.services.members import RateLimited
from directory.services.members import membership_make_owner
from directory.services.members import profile_has_owner

Profile = Organisation | Project

CLAIMS_PER_DAY = 10
DAY = 24 * 60 * 60
VERIFY_SALT = "directory.claim.email"
VERIFY_DAYS = 7
# Hosts that many unrelated people share: an address there proves nothing about a profile.
SHARED_HOSTS = frozenset(
    [
        "facebook.com",
        "github.com",
        "github.io",
        "gitlab.com",
        "google.com",
        "sites.google.com",
        "linkedin.com",
        "medium.com",
        "twitter.com",
        "x.com",
        "instagram.com",
        "youtube.com",
        "wordpress.com",
        "blogspot.com",
        "wix.com",
        "wixsite.com",
        "tumblr.com",
        "weebly.com",
        "squarespace.com",
        "gmail.com",
        "outlook.com",
        "yahoo.com",
        "hotmail.com",
    ]
)


# --- Reads ------------------------------------------------------------------------------------


def website_domain(profile: Profile) -> str:
    """The domain of the profile's website ("example.org" for https://www.example.org/about),
    or "" when an address there would prove nothing (no website, or a shared host)."""
    host = (urlsplit(profile.website or "").hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if "." not in host or host in SHARED_HOSTS or host.split(".", 1)[1] in SHARED_HOSTS:
        return ""
    return host


def email_matches_domain(email: str, domain: str) -> bool:
    """An address at the domain or one of its subdomains."""
    if not domain or "@" not in email:
        return False
    email_domain = email.rsplit("@", 1)[1].lower().rstrip(".")
    return email_domain == domain or email_domain.endswith(f".{domain}")


def open_claim(profile: Profile, user) -> Claim | None:
    """The person's claim on the profile that still waits, if any."""
    if not user.is_authenticated:
        return None
    return Claim.objects.open().filter(user=user, **Claim.profile_kwargs(profile)).first()


def verification_token(claim: Claim) -> str:
    return signing.dumps({"claim": claim.pk, "email": claim.evidence_email}, salt=VERIFY_SALT)


def claim_from_token(token: str) -> Claim:
    """The claim a confirmation link names, or ValidationError (expired, altered, stale)."""
    invalid = ValidationError(
        _("This confirmation link is not valid, or has expired. Please claim the profile again."),
        code="token",
    )
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_DAYS * DAY)
    except signing.BadSignature as error:
        raise invalid from error
    if not isinstance(data, dict):
        raise invalid
    claim = (
        Claim.objects.select_related("organisation", "project", "user")
        .filter(pk=data.get("claim"), evidence_email=data.get("email") or "-")
        .first()
    )
    if claim is None:
        raise invalid
    return claim


# --- Email ------------------------------------------------------------------------------------


def _profile_url(profile: Profile) -> str:
    return absolute_url(profile.get_absolute_url())


def _mail(*, to: str, subject: str, template: str, context: dict) -> None:
    """One message through the outgoing queue (core.mail), in the hub's language."""
    if not to:
        return
    body = render_to_string(template, {**context, "dashboard_url": _dashboard_url()})
    send_mail(subject, body, None, [to])


def _dashboard_url() -> str:
    return absolute_url(reverse("directory:dashboard"))


def _send_verification(claim: Claim, profile: Profile) -> None:
    link = reverse("directory:claim_verify", kwargs={"token": verification_token(claim)})
    _mail(
        to=claim.evidence_email,
        subject=_("Please confirm your address to claim %(name)s") % {"name": profile.name},
        template="directory/email/claim_verify.txt",
        context={"claim": claim, "profile": profile, "verify_url": absolute_url(link)},
    )


def _tell_claimant(claim: Claim, profile: Profile, *, template: str, subject: str = "") -> None:
    """Email the claimant about their claim; unless `subject` says otherwise, "Your claim on..."."""
    _mail(
        to=claim.user.email,
        subject=subject or _("Your claim on %(name)s") % {"name": profile.name},
        template=template,
        context={
            "claim": claim,
            "claimant": claim.user,
            "profile": profile,
            "profile_url": _profile_url(profile),
            "members_url": absolute_url(
                reverse(f"directory:{profile.kind}_members", kwargs={"slug": profile.slug})
            ),
        },
    )


# --- Writes -----------------------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *,
    profile: Profile,
    user,
    message: str,
    role: str = "",
    evidence_url: str = "",
    evidence_email: str = "",
) -> Claim:
    """Claim a published profile that has no owner; an address at its website's domain is sent
    a link to confirm it. The claim waits in the community admins' queue."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in to claim a profile."))
    if profile.status != Status.PUBLISHED:
        raise PermissionDenied(_("Only published profiles can be claimed."))
    kwargs = Claim.profile_kwargs(profile)
    if profile_has_owner(profile):
        raise ValidationError(
            _("%(name)s already has an owner: please ask to join it instead.")
            % {"name": profile.name},
            code="owned",
        )
    if Claim.objects.open().filter(user=user, **kwargs).exists():
        raise ValidationError(
            _("You have already claimed %(name)s; the community admins will answer soon.")
            % {"name": profile.name},
            code="duplicate",
        )
    message = message.strip()
    if not message:
        raise ValidationError(
            {"message": _("Please tell the community admins why this profile is yours.")},
            code="required",
        )
    evidence_email = evidence_email.strip()
    domain = website_domain(profile)
    if evidence_email and not email_matches_domain(evidence_email, domain):
        raise ValidationError(
            {
                "evidence_email": _("Please give an address ending in @%(domain)s, or none.")
                % {"domain": domain}
                if domain
                else _("This profile's website cannot confirm an address: please leave it empty.")
            },
            code="domain",
        )
    if not rate_limit_hit(action="claim", key=str(user.pk), limit=CLAIMS_PER_DAY, period=DAY):
        raise RateLimited(
            _("You have claimed many profiles today. Please try again tomorrow."),
            code="rate_limited",
        )
    person = user.name or user.email
    claim = Claim.objects.create(
        user=user,
        summary=f"{profile.name} – {person}"[:300],
        role=role.strip()[:200],
        message=message[:2000],
        evidence_url=evidence_url.strip()[:500],
        evidence_email=evidence_email,
        **kwargs,
    )
    if evidence_email:
        with translation.override(settings.LANGUAGE_CODE):
            _send_verification(claim, profile)
    return claim


@transaction.atomic
def claim_verify_email(*, token: str) -> Claim:
    """Whoever reads the address followed its link: the claim is marked verified (once)."""
    claim = claim_from_token(token)
    claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if claim.status != Claim.Status.PENDING:
        raise ValidationError(_("This claim has already been decided."), code="state")
    if claim.email_verified_at is None:
        claim.email_verified_at = timezone.now()
        claim.save(update_fields=["email_verified_at"])
    return claim


def _require_moderator(user) -> None:
    if not (user.is_authenticated and user.has_perm("directory.change_claim")):
        raise PermissionDenied(_("Only community admins decide claims."))


def _decide(claim: Claim, moderator, status: str, *, reason: str = "") -> Claim:
    claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if claim.status != Claim.Status.PENDING:
        raise ValidationError(_("This claim has already been decided."), code="state")
    claim.status = status
    claim.decided_at = timezone.now()
    claim.decided_by = moderator
    claim.rejection_reason = reason
    claim.save(update_fields=["status", "decided_at", "decided_by", "rejection_reason"])
    return claim


def _close_others(profile: Profile, *, but: Claim | None) -> list[Claim]:
    """The profile has an owner now: its other open claims close, and their claimants hear."""
    others = Claim.objects.open().filter(**Claim.profile_kwargs(profile)).select_related("user")
    if but is not None:
        others = others.exclude(pk=but.pk)
    closed = list(others.select_for_update(of=("self",)))
    for claim in closed:
        claim.status = Claim.Status.CLOSED
        claim.decided_at = timezone.now()
        claim.save(update_fields=["status", "decided_at"])
        _tell_claimant(claim, profile, template="directory/email/claim_closed.txt")
    return closed


@transaction.atomic
def claim_approve(*, claim: Claim, moderator) -> Membership:
    """The claimant becomes the profile's owner and is told; other open claims close."""
    _require_moderator(moderator)
    claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if claim.status != Claim.Status.PENDING:
        raise ValidationError(_("This claim has already been decided."), code="state")
    profile = claim.profile
    if profile_has_owner(profile):
        # Nothing changes here (the error undoes this transaction): claims_close_for closes them.
        raise ValidationError(
            _("%(name)s already has an owner.") % {"name": profile.name}, code="owned"
        )
    with translation.override(settings.LANGUAGE_CODE):
        claim = _decide(claim, moderator, Claim.Status.APPROVED)
        membership = membership_make_owner(profile=profile, user=claim.user)
        _tell_claimant(
            claim,
            profile,
            subject=_("You now look after %(name)s on the DSI Hub") % {"name": profile.name},
            template="directory/email/claim_approved.txt",
        )
        _close_others(profile, but=claim)
    return membership


@transaction.atomic
def claim_reject(*, claim: Claim, moderator, reason: str) -> Claim:
    """Turn the claim down; the claimant is emailed the reason."""
    _require_moderator(moderator)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Please give the claimant a reason."), code="required")
    claim = _decide(claim, moderator, Claim.Status.REJECTED, reason=reason[:2000])
    profile = claim.profile
    with translation.override(settings.LANGUAGE_CODE):
        _tell_claimant(claim, profile, template="directory/email/claim_rejected.txt")
    return claim


def claims_close_for(*, profile: Profile) -> list[Claim]:
    """For a profile that gained an owner some other way: close its open claims and tell them."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _close_others(profile, but=None)
