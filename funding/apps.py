from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from core.kinds import register_submitted_kind
        from funding.api.views import FundingViewSet
        from funding.exports import FUNDING
        from funding.models import Opportunity

        # Its derived columns are rebuilt by funding.services.opportunity_reindex.
        register_submitted_kind(
            Opportunity,
            export=FUNDING,
            api_prefix="funding",
            viewset=FundingViewSet,
            basename="opportunity",
            order=40,
        )
