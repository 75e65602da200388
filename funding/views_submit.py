"""Practitioners' pages for funding opportunities: add one, edit it, preview it, submit it for
review, and the list of "my funding opportunities" with their review status.

The pages are core.submission_views's, shared with events (thin views, rate limits, honeypot,
who may change what); this module says what is the opportunities' own: their forms, services,
preview (dates and amounts in words) and what "my funding opportunities" shows of each.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.submission_views import SubmissionViews
from funding import services
from funding.display import present
from funding.forms import OpportunityCreateForm, OpportunityForm
from funding.models import Opportunity


def preview_context(opportunity: Opportunity) -> dict:
    """What the preview shows: the opportunity with its dates and amounts in words, as its
    public page says them today."""
    return {"opportunity": present(opportunity, timezone.localdate())}


class OpportunitySubmissionViews(SubmissionViews):
    model = Opportunity
    name = "opportunity"
    namespace = "funding"
    create_form = OpportunityCreateForm
    edit_form = OpportunityForm
    forbidden_message = _("Only the person who submitted this funding opportunity can do that.")
    mine_related = ("funding_type", "funder")

    can_edit = staticmethod(services.opportunity_can_edit)
    create_object = staticmethod(services.opportunity_create)
    # The admin's preview shows the same.
    preview_context = staticmethod(preview_context)

    def update_object(self, opportunity, **changes) -> None:
        services.opportunity_update(opportunity=opportunity, **changes)

    def submit_object(self, opportunity, *, user) -> None:
        services.opportunity_submit(opportunity=opportunity, user=user)

    def mine_context(self) -> dict:
        # Which closing dates have passed.
        return {"today": timezone.localdate()}


pages = OpportunitySubmissionViews()
opportunity_create = pages.create_view
opportunity_edit = pages.edit_view
opportunity_preview = pages.preview_view
opportunity_submit = pages.submit_view
opportunity_mine = pages.mine_view
