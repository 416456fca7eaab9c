from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequirementsConfig(AppConfig):
    name = "kokemustori.requirements"
    verbose_name = _("Requirements")

    def ready(self):
        # Connects this app's answers to the signals of the apps below it.
        from . import receivers  # noqa: F401
