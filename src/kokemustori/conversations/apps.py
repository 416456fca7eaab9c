from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "kokemustori.conversations"
    verbose_name = _("Messages")

    def ready(self):
        # Connects this app's part of the order's and the offer's pages.
        from . import receivers  # noqa: F401
