from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "kokemustori.identity"
    verbose_name = _("Identity providers")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
