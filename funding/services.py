"""Writes to funding opportunities: add, edit, moderate, keep search in step.

Editors add opportunities in the admin (published at once); practitioners submit them from the
site (draft, then pending review until a community admin approves or rejects them). Every
change is kept in the history. Cached lists and feeds follow a version that every change to
published opportunities moves on (opportunities_changed).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.lifecycle import Editing
from core.lifecycle import Review
from core.lifecycle import submission_approve
from core.lifecycle import submission_archive
from core.lifecycle import submission_create
from core.lifecycle import submission_reject
from core.lifecycle import submission_submit
from core.lifecycle import submission_update
from core.models import Status
from core.search import facet_key
from core.search import folded_text
from core.search import store_search_fields
from core.submissions import apply_fields
from core.submissions import submission_can_edit
from core.submissions import unique_slug
from core.versions import ContentVersion
from directory.versions import DIRECTORY
from funding.models import Opportunity

HTML_FIELDS = {"description"}
RESERVED_SLUGS = {"new", "mine", "feed"}

# Opportunities name their funder from the directory while it is published: follow its version.
FUNDING = ContentVersion("funding:version", follows=(DIRECTORY,))
opportunities_version = FUNDING.current
opportunities_cached = FUNDING.cached
opportunities_cache = FUNDING.cache
opportunities_changed = FUNDING.changed


def opportunity_search_fields(opportunity: Opportunity, *, targets, countries, social_areas):
    """search_title, search_body and facet_keys: type, targets, countries ("country:any" when
    open everywhere), social areas, and whether it is rolling."""
    keys = [facet_key("type", opportunity.funding_type_id)]
    keys += [facet_key("target", row.pk) for row in targets]
    keys += [facet_key("country", row.pk) for row in countries] or [facet_key("country", "any")]
    keys += [facet_key("area", row.pk) for row in social_areas]
    if opportunity.closes_on is None:
        keys.append(facet_key("rolling", 1))
    names = [row.name for row in [*targets, *countries, *social_areas]]
    return {
        "search_title": folded_text(opportunity.title),
        "search_body": folded_text(
            opportunity.short_description,
            opportunity.funder_label,
            opportunity.funding_type.name,
            *names,
            opportunity.description,
        ),
        "facet_keys": sorted(set(keys)),
    }


def opportunity_reindex(opportunity: Opportunity) -> None:
    fields = opportunity_search_fields(
        opportunity,
        targets=list(opportunity.targets.all()),
        countries=list(opportunity.countries.all()),
        social_areas=list(opportunity.social_areas.all()),
    )
    store_search_fields(opportunity, fields)


def opportunity_unique_slug(title: str, *, exclude_pk=None) -> str:
    return unique_slug(
        Opportunity, title, fallback="opportunity", reserved=RESERVED_SLUGS, exclude_pk=exclude_pk
    )


# Its author, or whoever may change any opportunity (community admins, editors).
opportunity_can_edit = submission_can_edit


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You cannot change this funding opportunity."))


def _apply(opportunity: Opportunity, fields: dict) -> list[str]:
    return apply_fields(
        opportunity,
        fields,
        html_fields=HTML_FIELDS,
        cleaners={"currency": lambda value: (value or "").strip().upper()},
    )


def _validate(opportunity: Opportunity) -> None:
    opportunity.full_clean(exclude=["slug"])


EDITING = Editing(
    apply=_apply,
    validate=_validate,
    reindex=opportunity_reindex,
    on_published=opportunities_changed,
)

REVIEW = Review(
    name="opportunity",
    approved_template="funding/email/opportunity_approved.txt",
    rejected_template="funding/email/opportunity_rejected.txt",
    not_pending_approve=gettext_lazy("Only opportunities waiting for review can be approved."),
    not_pending_reject=gettext_lazy("Only opportunities waiting for review can be rejected."),
    on_published=opportunities_changed,
)


@transaction.atomic
def opportunity_create(
    *, user, title: str, fields: dict, relations: dict | None = None, status: str = Status.DRAFT
) -> Opportunity:
    """A new opportunity: a practitioner's draft, or (from the admin) published at once."""
    opportunity = Opportunity(title=title.strip(), created_by=user, status=status)
    opportunity.slug = opportunity_unique_slug(opportunity.title)
    submission_create(opportunity, user=user, fields=fields, relations=relations, editing=EDITING)
    return opportunity


@transaction.atomic
def opportunity_update(
    *, opportunity: Opportunity, user, fields: dict, relations: dict | None = None
) -> list[str]:
    """Change an opportunity; a published one's changes go live at once, kept in history."""
    _require(opportunity_can_edit(opportunity, user))
    return submission_update(
        opportunity, user=user, fields=fields, relations=relations, editing=EDITING
    )


@transaction.atomic
def opportunity_submit(*, opportunity: Opportunity, user) -> None:
    """Send a draft (or a rejected opportunity, corrected) to the community admins."""
    _require(opportunity_can_edit(opportunity, user))
    submission_submit(opportunity, user=user, review=REVIEW)


@transaction.atomic
def opportunity_approve(*, opportunity: Opportunity, moderator) -> None:
    """Publish a pending opportunity and tell whoever submitted it."""
    submission_approve(opportunity, moderator=moderator, review=REVIEW)


@transaction.atomic
def opportunity_reject(*, opportunity: Opportunity, moderator, reason: str) -> None:
    """Turn down a pending opportunity with a reason; it may be corrected and resubmitted."""
    submission_reject(opportunity, moderator=moderator, reason=reason, review=REVIEW)


@transaction.atomic
def opportunity_archive(*, opportunity: Opportunity, user) -> None:
    """Take an opportunity out of public view, keeping it and its history."""
    _require(opportunity_can_edit(opportunity, user))
    submission_archive(opportunity, user=user, review=REVIEW)
