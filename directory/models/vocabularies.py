"""Controlled vocabularies: rows, editable by admins and translated (django-modeltranslation)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Vocabulary
from core.search import fold


class CountryQuerySet(models.QuerySet):
    def by_name(self):
        """In the alphabetical order of the current language's names, case and accents aside
        ("Österreich" among the Os in German, "Åland Islands" among the As)."""
        return self.order_by("order", "name_key", "pk")


class Country(Vocabulary):
    """A country, from ISO 3166-1 (pycountry); names are translated from its own catalogues.

    `name_key` is the name folded (core.search.fold), one per language like the name
    (directory.translation): lists sort by it, as the database's collation ("C") would put
    "Åland Islands" after "Zimbabwe" and "Österreich" after "Zypern". A stored key rather than
    an ICU collation, as for profiles' names (directory.models.querysets.BY_NAME)."""

    code = models.CharField(_("ISO 3166-1 code"), max_length=2, unique=True)
    name_key = models.CharField(max_length=120, blank=True, editable=False)

    objects = CountryQuerySet.as_manager()

    class Meta(Vocabulary.Meta):
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        # modeltranslation reads "name_key" as the current language's key.
        ordering = ["order", "name_key"]

    def save(self, *args, **kwargs):
        self.name_key = fold(self.name_en or self.name)
        for code, _language in settings.LANGUAGES:
            name = getattr(self, f"name_{code}", None) or self.name_en or self.name
            setattr(self, f"name_key_{code}", fold(name))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and any(f.startswith("name") for f in update_fields):
            keys = ["name_key", *(f"name_key_{code}" for code, _language in settings.LANGUAGES)]
            kwargs["update_fields"] = {*update_fields, *keys}
        super().save(*args, **kwargs)


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
