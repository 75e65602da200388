from modeltranslation.translator import TranslationOptions
from modeltranslation.translator import register

from directory.models import Country
from directory.models import DSIFocus
from directory.models import OrganisationSize
from directory.models import OrganisationType
from directory.models import SocialArea
from directory.models import Technology


@register([OrganisationType, OrganisationSize, SocialArea, Technology, DSIFocus])
class VocabularyTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Country)
class CountryTranslationOptions(TranslationOptions):
    # The folded name each language's lists sort by (Country.name_key).
    fields = ("name", "description", "name_key")
