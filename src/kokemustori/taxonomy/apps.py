from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "kokemustori.taxonomy"
    verbose_name = _("Areas, topics, languages and regions")
