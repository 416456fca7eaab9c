from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenCallsConfig(AppConfig):
    name = "kokemustori.opencalls"
    verbose_name = _("Open calls")

    def ready(self):
        # Connects this app's answers to the signals of the apps below it.
        from . import receivers  # noqa: F401
