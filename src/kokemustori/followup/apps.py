from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "kokemustori.followup"
    verbose_name = _("Debriefs and feedback")

    def ready(self):
        # Connects this app's answers to the signals of the apps below it.
        from . import receivers  # noqa: F401
