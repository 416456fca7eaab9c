from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrderersConfig(AppConfig):
    name = "kokemustori.orderers"
    verbose_name = _("Orderers")

    def ready(self):
        # Connects this app's answers to allauth's signals.
        from . import receivers  # noqa: F401
