"""Controlled vocabularies: rows, editable by admins and translated (django-modeltranslation)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Vocabulary


class Country(Vocabulary):
    """A country, from ISO 3166-1 (pycountry); names are translated from its own catalogues."""

    code = models.CharField(_("ISO 3166-1 code"), max_length=2, unique=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["order", "name"]


class OrganisationType(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("organisation type")
        verbose_name_plural = _("organisation types")


class OrganisationSize(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("organisation size")
        verbose_name_plural = _("organisation sizes")


class SocialArea(Vocabulary):
    """An area of social impact ("Health and care"); 2017 names are kept as aliases."""

    aliases = models.JSONField(_("former names"), default=list, blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("social area")
        verbose_name_plural = _("social areas")


class Technology(Vocabulary):
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")


class DSIFocus(Vocabulary):
    """One of the four open-technology trends of digital social innovation."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("DSI focus")
        verbose_name_plural = _("DSI focus areas")


class Tag(models.Model):
    """A free tag ("refugees", "FabLab network"); one row per spelling, matched by slug."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


def social_areas_field() -> models.ManyToManyField:
    """The social areas a piece of content is about (an event, a funding opportunity, a story),
    optional, with no way back from an area to the content."""
    return models.ManyToManyField(
        SocialArea, verbose_name=_("social areas"), blank=True, related_name="+"
    )
