from modeltranslation.translator import TranslationOptions, register

from funding.models import FundingTarget, FundingType


@register([FundingType, FundingTarget])
class FundingVocabularyTranslationOptions(TranslationOptions):
    fields = ("name", "description")
