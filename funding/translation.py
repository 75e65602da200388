from modeltranslation.translator import TranslationOptions
from modeltranslation.translator import register

from funding.models import FundingTarget
from funding.models import FundingType


@register([FundingType, FundingTarget])
class FundingVocabularyTranslationOptions(TranslationOptions):
    fields = ("name", "description")
