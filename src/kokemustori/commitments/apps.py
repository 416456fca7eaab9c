from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "kokemustori.commitments"
    verbose_name = _("Onboarding commitments")

    def ready(self):
        # Connects this app's answers to the signals of the apps below it.
        from . import receivers  # noqa: F401
