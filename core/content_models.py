"""What the models of the hub's content kinds (events, funding opportunities, stories) share
beside core.models' abstract bases: their public page's address, an index over published rows,
and the name given by hand beside a link."""

from django.db import models
from django.urls import reverse

from core.models import Status


class DetailPage:
    """A row whose public page is found by its slug, under the URL name "<app>:<model>_detail"
    (events:event_detail), the apps' names for their detail pages."""

    def get_absolute_url(self):
        opts = self._meta
        return reverse(f"{opts.app_label}:{opts.model_name}_detail", kwargs={"slug": self.slug})


def published_index(*fields: str, name: str, index=models.Index) -> models.Index:
    """An index (`index`: Django's, or e.g. GinIndex) over the published rows alone: those the
    public pages and the API read."""
    return index(fields=list(fields), name=name, condition=models.Q(status=Status.PUBLISHED))


def name_given_field(verbose_name, help_text) -> models.CharField:
    """A name typed in beside a link that may give one (an event's organiser or a funder in the
    directory, a story's author account): shown when the link does not (for a profile that is
    not published, core.models.published_name)."""
    return models.CharField(verbose_name, max_length=200, blank=True, help_text=help_text)
