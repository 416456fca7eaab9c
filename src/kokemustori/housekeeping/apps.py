from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousekeepingConfig(AppConfig):
    name = "kokemustori.housekeeping"
    verbose_name = _("Housekeeping")
