"""Moderation: spam signals on submissions, reports from visitors, the moderators' digest."""

import re
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Min
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from accounts.roles import COMMUNITY_ADMINS
from core.hosts import site_url
from core.models import Status
from core.moderation import moderated_kinds
from core.spam import account_is_new
from core.spam import count_links
from directory.models import Organisation
from directory.models import Project
from directory.models import Report

SPAM_WORDS = re.compile(
    r"\b(casino|viagra|cialis|porn|escort|loan|payday|crypto ?currency|bitcoin|forex|seo services|"
    r"replica|weight loss|essay writing|buy followers)\b",
    re.IGNORECASE,
)
# More profiles than this created by one account within a day is unusual for a real person.
BUSY_ACCOUNT_PROFILES = 3
DIGEST_TOP = 5


def profile_assess_spam(*, profile, user, ip: str | None = None) -> tuple[int, list[str]]:
    """A 0-100 score and the signals behind it, for moderators; it never blocks on its own."""
    text = " ".join(
        strip_tags(part)
        for part in (
            profile.name,
            profile.short_description,
            profile.description,
            getattr(profile, "social_impact", ""),
        )
        if part
    )
    signals: list[tuple[int, str]] = []
    links = count_links(profile.description, getattr(profile, "social_impact", ""))
    if links > 3:
        signals.append((25, f"{links} links in the description"))
    words = SPAM_WORDS.findall(text)
    if words:
        signals.append((min(60, 30 * len(words)), "spam words: " + ", ".join(sorted(set(words)))))
    if user is not None and account_is_new(user):
        signals.append((10, "account less than a week old"))
    letters = [char for char in profile.name if char.isalpha()]
    if len(letters) > 8 and sum(char.isupper() for char in letters) / len(letters) > 0.8:
        signals.append((10, "name in capitals"))
    if len(strip_tags(profile.description or "")) < 40:
        signals.append((10, "little or no description"))
    if not profile.website and not profile.links:
        signals.append((5, "no website"))
    if profile.website and profile.website.lower().startswith("http://"):
        signals.append((5, "website without https"))
    if (
        type(profile)
        .objects.published()
        .filter(name__iexact=profile.name.strip())
        .exclude(pk=profile.pk)
        .exists()
    ):
        signals.append((20, "same name as a published profile"))
    if user is not None and user.is_authenticated:
        since = timezone.now() - timezone.timedelta(days=1)
        recent = sum(
            model.objects.filter(created_by=user, created_at__gte=since).count()
            for model in (Organisation, Project)
        )
        if recent > BUSY_ACCOUNT_PROFILES:
            signals.append((15, f"{recent} profiles from this account in a day"))
    score = min(100, sum(points for points, _ in signals))
    return score, [reason for _, reason in signals]


# --- Reports from visitors ----------------------------------------------------------------------


@transaction.atomic
def report_create(*, profile, reason: str, message: str = "", reporter=None) -> Report:
    """A visitor's report about a published profile, for the moderators' queue."""
    if not profile.is_published:
        raise ValidationError(_("Only published profiles can be reported."), code="state")
    if reason not in Report.Reason.values:
        raise ValidationError(_("Please choose a reason."), code="reason")
    if reporter is not None and not reporter.is_authenticated:
        reporter = None
    return Report.objects.create(
        reason=reason,
        message=message.strip()[:2000],
        reporter=reporter,
        **Report.profile_kwargs(profile),
    )


@transaction.atomic
def report_resolve(*, report: Report, moderator, state: str = Report.State.RESOLVED) -> bool:
    """Close a report as resolved (acted on) or dismissed; False if it was already closed."""
    if state not in (Report.State.RESOLVED, Report.State.DISMISSED):
        raise ValidationError(_("A report can only be resolved or dismissed."), code="state")
    if report.state != Report.State.OPEN:
        return False
    report.state = state
    report.resolved_at = timezone.now()
    report.resolved_by = moderator
    report.save(update_fields=["state", "resolved_at", "resolved_by"])
    return True


# --- The moderators' daily digest ---------------------------------------------------------------


def moderators():
    """Who moderates the hub: active community admins and superusers with an email."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=COMMUNITY_ADMINS) | Q(is_superuser=True))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _admin_url(name: str, *args, query: str = "") -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(f"admin:{name}", args=args)
    return f"{site_url()}{path}{query}"


def moderation_queue_summary() -> dict:
    """What waits for moderators: pending items of every moderated kind (core.moderation), and
    open reports, in a few queries per kind."""
    queues = []
    for kind in moderated_kinds():
        pending = kind.model.objects.filter(status=Status.PENDING)
        stats = pending.aggregate(oldest=Min("submitted_at"))
        count = pending.count()
        order = (
            ("-spam_score", "submitted_at", "pk") if kind.spam_scored else ("submitted_at", "pk")
        )
        columns = ["pk", kind.title_field, "submitted_at"]
        if kind.spam_scored:
            columns.append("spam_score")
        top = [
            {
                "name": getattr(item, kind.title_field),
                "spam_score": item.spam_score if kind.spam_scored else None,
                "submitted_at": item.submitted_at,
                "url": _admin_url(f"{kind.admin_name}_change", item.pk),
            }
            for item in pending.order_by(*order).only(*columns)[:DIGEST_TOP]
        ]
        queues.append(
            {
                "label": kind.label,
                "count": count,
                "oldest": stats["oldest"],
                "top": top,
                "spam_scored": kind.spam_scored,
                "url": _admin_url(
                    f"{kind.admin_name}_changelist", query=f"?status__exact={Status.PENDING}"
                ),
            }
        )
    open_reports = Report.objects.filter(state=Report.State.OPEN).count()
    return {
        "queues": queues,
        "pending": sum(queue["count"] for queue in queues),
        "open_reports": open_reports,
        "reports_url": _admin_url(
            "directory_report_changelist", query=f"?state__exact={Report.State.OPEN}"
        ),
        "now": timezone.now(),
    }


def waiting_days(since: datetime | None, now: datetime) -> int | None:
    return None if since is None else (now - since).days


def moderation_digest_send() -> int:
    """Email each moderator what waits for review; nothing when the queue is empty.

    Returns the number of emails sent. Running it twice sends twice, which is harmless for a
    summary (beat runs it once a day).
    """
    summary = moderation_queue_summary()
    if not summary["pending"] and not summary["open_reports"]:
        return 0
    for queue in summary["queues"]:
        queue["oldest_days"] = waiting_days(queue["oldest"], summary["now"])
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("DSI Hub moderation: %(pending)s waiting for review, %(reports)s reports") % {
            "pending": summary["pending"],
            "reports": summary["open_reports"],
        }
        for moderator in moderators():
            body = render_to_string(
                "directory/email/moderation_digest.txt",
                {**summary, "user": moderator, "site_url": site_url()},
            )
            send_mail(subject, body, None, [moderator.email])
            sent += 1
    return sent
