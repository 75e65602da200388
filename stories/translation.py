from modeltranslation.translator import TranslationOptions, register

from stories.models import Category


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "description")
