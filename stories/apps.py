from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Derived columns, rebuilt from the rest (stories.services.story_reindex): not kept in history.
# (The admin registers the models with django-reversion: stories.admin.)
UNVERSIONED = ["search_title", "search_body", "search_vector"]


class StoriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stories"
    verbose_name = _("Stories")

    def ready(self):
        from accounts.signals import account_deleting
        from accounts.signals import account_exporting
        from accounts.signals import account_renamed
        from core.api.routes import register_api_route
        from core.exports import register_export
        from core.pending_images import pending_image_stored
        from stories.api.views import StoryViewSet
        from stories.exports import STORIES
        from stories.models import Story
        from stories.services import stories_author_changed
        from stories.services import stories_author_data
        from stories.services import stories_changed

        register_export(STORIES)
        register_api_route("stories", StoryViewSet, basename="story", order=50)

        def author_changed(sender, user, **kwargs):
            """An author renamed, or their account going: their bylines change."""
            stories_author_changed(user)

        account_renamed.connect(author_changed, weak=False, dispatch_uid="stories_author_renamed")
        account_deleting.connect(author_changed, weak=False, dispatch_uid="stories_author_gone")

        def author_data(sender, user, **kwargs):
            """A person asks for their data: the stories they are the author of."""
            return stories_author_data(user)

        account_exporting.connect(author_data, weak=False, dispatch_uid="stories_author_data")

        def image_stored(sender, **kwargs):
            """A featured image re-encoded by a task: cached pages show it."""
            stories_changed()

        pending_image_stored.connect(
            image_stored, sender=Story, weak=False, dispatch_uid="stories_image_stored"
        )
