from modeltranslation.translator import TranslationOptions
from modeltranslation.translator import register

from stories.models import Category


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "description")
