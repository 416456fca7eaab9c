from modeltranslation.translator import TranslationOptions, register

from .models import Organisation


# The description is read on the public pages in fi, sv and en; the name is a proper name.
@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("description",)
