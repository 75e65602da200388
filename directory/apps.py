from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Derived columns, rebuilt from the rest: not worth keeping in the history.
UNVERSIONED = ["search_title", "search_body", "search_vector", "facet_keys", "updated_at"]


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        import reversion

        from directory.models import Organisation, Project, ProjectOrganisation

        reversion.register(Organisation, exclude=UNVERSIONED)
        reversion.register(ProjectOrganisation)
        reversion.register(Project, exclude=UNVERSIONED, follow=["links_to_organisations"])

        from directory import receivers

        receivers.connect_receivers()
