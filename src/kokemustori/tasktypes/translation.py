from modeltranslation.translator import TranslationOptions, register

from .models import TaskType


@register(TaskType)
class TaskTypeTranslation(TranslationOptions):
    fields = ("name", "description")
