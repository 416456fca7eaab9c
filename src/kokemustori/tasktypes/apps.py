from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskTypesConfig(AppConfig):
    name = "kokemustori.tasktypes"
    verbose_name = _("Task types")
