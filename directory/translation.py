from modeltranslation.translator import TranslationOptions, register

from directory.models import (
    Country,
    DSIFocus,
    OrganisationSize,
    OrganisationType,
    SocialArea,
    Technology,
)


@register([Country, OrganisationType, OrganisationSize, SocialArea, Technology, DSIFocus])
class VocabularyTranslationOptions(TranslationOptions):
    fields = ("name", "description")
