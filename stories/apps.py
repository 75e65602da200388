from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Derived columns, rebuilt from the rest (stories.services.story_reindex): not kept in history.
# (The admin registers the models with django-reversion: stories.admin.)
UNVERSIONED = ["search_title", "search_body", "search_vector"]


class StoriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stories"
    verbose_name = _("Stories")
