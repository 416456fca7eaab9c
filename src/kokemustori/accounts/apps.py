from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kokemustori.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from .second_factor import remember_new_authenticator

        def on_added(sender, request=None, user=None, authenticator=None, **kwargs):
            remember_new_authenticator(request, user, authenticator)

        authenticator_added.connect(on_added, weak=False, dispatch_uid="kokemustori_mfa_added")
