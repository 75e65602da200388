"""Writes to funding opportunities: add, edit, moderate, keep search in step.

Editors add opportunities in the admin (published at once); practitioners submit them from the
site (draft, then pending review until a community admin approves or rejects them). Every
change is kept in the history. Cached lists and feeds follow a version that every change to
published opportunities moves on (opportunities_changed).
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy

from core.lifecycle import Editing
from core.lifecycle import SubmissionLifecycle
from core.search import facet_key
from core.search import folded_text
from core.search import store_search_fields
from core.submissions import apply_fields
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
    # A draft may have no type yet.
    keys = [facet_key("type", opportunity.funding_type_id)] if opportunity.funding_type_id else []
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
            opportunity.funding_type.name if opportunity.funding_type_id else "",
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


def _apply(opportunity: Opportunity, fields: dict) -> list[str]:
    return apply_fields(
        opportunity,
        fields,
        html_fields=HTML_FIELDS,
        cleaners={"currency": lambda value: (value or "").strip().upper()},
    )


def _validate(opportunity: Opportunity, *, exclude=()) -> None:
    opportunity.full_clean(exclude=["slug", *exclude])


def _funder_needed(opportunity: Opportunity) -> list[str]:
    if opportunity.funder_id or opportunity.funder_name:
        return []
    return [gettext("who offers it")]


# Create, edit and review (core.lifecycle).
LIFECYCLE = SubmissionLifecycle(
    Opportunity,
    editing=Editing(
        apply=_apply,
        validate=_validate,
        reindex=opportunity_reindex,
        on_published=opportunities_changed,
        # A draft may leave these out (core.lifecycle.Editing): asked for at submission.
        needed_at_submission={
            "funding_type": gettext_lazy("its type"),
            "link": gettext_lazy("a link to apply"),
        },
        also_needed=_funder_needed,
    ),
    reserved_slugs=RESERVED_SLUGS,
    forbidden=gettext_lazy("You cannot change this funding opportunity."),
    not_pending_approve=gettext_lazy("Only opportunities waiting for review can be approved."),
    not_pending_reject=gettext_lazy("Only opportunities waiting for review can be rejected."),
)
