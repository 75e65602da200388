from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Derived columns, rebuilt from the rest: not worth keeping in the history. (updated_at stays in:
# a revert saves the stored row as it is, and the column cannot be empty.)
UNVERSIONED = ["search_title", "search_body", "search_vector", "facet_keys"]


def warm_lists(task):
    """After the directory changed, count the unfiltered lists before a visitor has to."""

    def warm():
        if settings.DIRECTORY_WARM_LISTS:
            task.delay()

    return warm


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        import reversion

        from directory.models import Organisation, Project, ProjectOrganisation

        reversion.register(Organisation, exclude=UNVERSIONED)
        reversion.register(ProjectOrganisation)
        reversion.register(Project, exclude=UNVERSIONED, follow=["links_to_organisations"])

        from directory.vocabularies import connect_receivers

        connect_receivers()

        from directory import receivers

        receivers.connect_receivers()

        from directory.tasks import directory_lists_warm
        from directory.versions import DIRECTORY

        DIRECTORY.after_bump(warm_lists(directory_lists_warm))
