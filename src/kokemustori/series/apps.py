from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeriesConfig(AppConfig):
    name = "kokemustori.series"
    verbose_name = _("Recurring work")

    def ready(self):
        # Connects this app's answers to the signals of the apps below it.
        from . import receivers  # noqa: F401
