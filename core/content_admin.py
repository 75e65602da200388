"""Admins of rows the public pages show: a change moves the content's version on
(core.versions), so that cached pages, feeds and API answers are made again."""


class ContentAdminMixin:
    """Deleting rows moves the content's version on. Subclasses set `content_changed` (the
    service's function that moves it, as a staticmethod); mix in before the ModelAdmin class."""

    content_changed = None

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self.content_changed()


class ContentTermAdminMixin(ContentAdminMixin):
    """Terms the content's pages name (tags, categories, vocabularies): saving one moves the
    content's version on too."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.content_changed()
