from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrderersConfig(AppConfig):
    name = "kokemustori.orderers"
    verbose_name = _("Orderers")

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
