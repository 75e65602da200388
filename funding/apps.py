from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from accounts.signals import account_deleting
        from accounts.signals import account_exporting
        from core.kinds import register_submitted_kind
        from core.personal_data import SubmittedItems
        from funding.api.views import FundingViewSet
        from funding.exports import FUNDING
        from funding.models import Opportunity

        # Its derived columns are rebuilt by funding.services.opportunity_reindex. Its API is
        # /api/v1/funding/, its URLs named "opportunity-list" and "opportunity-detail".
        register_submitted_kind(Opportunity, export=FUNDING, viewset=FundingViewSet, order=40)
        # What a person submitted: in their download; what is not public goes with them.
        theirs = SubmittedItems(Opportunity, section="funding_opportunities")
        account_exporting.connect(theirs.export, weak=False, dispatch_uid="funding_export_person")
        account_deleting.connect(theirs.forget, weak=False, dispatch_uid="funding_forget_person")
