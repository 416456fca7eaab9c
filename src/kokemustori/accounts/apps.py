from django.apps import AppConfig
from django.conf import settings
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_tables(sender, using="default", verbosity=1, **kwargs):
    """`migrate` also makes the database cache table that login throttling counts in
    (settings.CACHES; createcachetable does nothing when the table exists or no cache
    lives in the database)."""
    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=verbosity)


class AccountsConfig(AppConfig):
    name = "kokemustori.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from .second_factor import remember_new_authenticator

        def on_added(sender, request=None, user=None, authenticator=None, **kwargs):
            remember_new_authenticator(request, user, authenticator)

        authenticator_added.connect(on_added, weak=False, dispatch_uid="kokemustori_mfa_added")
        post_migrate.connect(
            create_cache_tables, sender=self, dispatch_uid="kokemustori_cache_tables"
        )
