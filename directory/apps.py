from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Derived columns, rebuilt from the rest: not worth keeping in the history. (updated_at stays in:
# a revert saves the stored row as it is, and the column cannot be empty.)
UNVERSIONED = ["search_title", "search_body", "search_vector", "facet_keys", "listed_at"]


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        import reversion

        from core.api.routes import register_api_route
        from core.exports import register_export
        from core.moderation import register_moderated
        from core.moderation import register_watched
        from core.notices import register_noticed
        from core.text_index import register_text_index
        from directory import receivers
        from directory.api.serializers import VOCABULARY_MODELS
        from directory.api.views import OrganisationViewSet
        from directory.api.views import ProjectViewSet
        from directory.api.views import vocabulary_viewset
        from directory.exports import ORGANISATIONS
        from directory.exports import PROJECTS
        from directory.models import Claim
        from directory.models import Invitation
        from directory.models import Organisation
        from directory.models import OrganisationText
        from directory.models import Project
        from directory.models import ProjectOrganisation
        from directory.models import ProjectText
        from directory.models import Report
        from directory.services.invitation_rules import INVITATIONS_WATCHED
        from directory.tasks import directory_lists_warm
        from directory.versions import DIRECTORY
        from directory.vocabularies import connect_receivers

        reversion.register(Organisation, exclude=UNVERSIONED)
        reversion.register(ProjectOrganisation)
        reversion.register(Project, exclude=UNVERSIONED, follow=["links_to_organisations"])
        connect_receivers()
        receivers.connect_receivers()

        def warm_lists():
            """After the directory changed, count the unfiltered lists before a visitor has to."""
            if settings.DIRECTORY_WARM_LISTS:
                directory_lists_warm.delay()

        DIRECTORY.after_bump(warm_lists)

        # What the directory adds to the hub's shared parts (core): downloads, API routes and
        # the kinds community admins review.
        register_export(ORGANISATIONS)
        register_export(PROJECTS)
        register_api_route("organisations", OrganisationViewSet, basename="organisation", order=10)
        register_api_route("projects", ProjectViewSet, basename="project", order=20)
        for position, basename in enumerate(VOCABULARY_MODELS):
            register_api_route(
                basename, vocabulary_viewset(basename), basename=basename, order=100 + position
            )
        # Full-text matching through narrow tables kept in step by triggers (core.text_index).
        register_text_index(Organisation, OrganisationText, version=DIRECTORY)
        register_text_index(Project, ProjectText, version=DIRECTORY)
        register_moderated(Organisation, order=10, title_field="name", spam_scored=True)
        register_moderated(Project, order=20, title_field="name", spam_scored=True)
        # Visitors' reports wait for moderators too: they are told of each new one.
        register_noticed(Report, waiting={"state": Report.State.OPEN}, arrived_field="created_at")
        # Claims on profiles nobody owns wait beside them (directory.services.claims).
        register_moderated(Claim, order=25, title_field="summary")
        # Invitations are mail to any address: moderators see who sends many.
        register_watched(
            Invitation,
            label=_("Invitations sent in the last 24 hours"),
            account_field="invited_by",
            threshold=INVITATIONS_WATCHED,
        )
