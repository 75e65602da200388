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

        from funding.models import Opportunity

        reversion.register(Opportunity, exclude=UNVERSIONED)
