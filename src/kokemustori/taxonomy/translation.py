from modeltranslation.translator import TranslationOptions, register

from .models import ExperienceArea, Language, Region, Topic


@register(ExperienceArea)
@register(Topic)
@register(Language)
@register(Region)
class NameTranslation(TranslationOptions):
    fields = ("name",)
