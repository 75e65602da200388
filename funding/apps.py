from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Derived columns, rebuilt from the rest (funding.services.opportunity_reindex).
UNVERSIONED = ["search_title", "search_body", "search_vector", "facet_keys"]


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        import reversion

        from core.api.routes import register_api_route
        from core.exports import register_export
        from core.moderation import register_moderated
        from funding.api.views import FundingViewSet
        from funding.exports import FUNDING
        from funding.models import Opportunity

        reversion.register(Opportunity, exclude=UNVERSIONED)
        register_export(FUNDING)
        register_api_route("funding", FundingViewSet, basename="opportunity", order=40)
        register_moderated(Opportunity, order=40)
