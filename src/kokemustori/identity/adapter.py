"""allauth's adapters for sign-in through identity providers (settings.SOCIALACCOUNT_ADAPTER
and ACCOUNT_ADAPTER). The rules are in signin.py; these only connect them to allauth."""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.urls import reverse

from kokemustori.outbox.accounts import OutboxAccountAdapter

from . import providers, signin

MFA_STAGE = "allauth.mfa.stages.AuthenticateStage"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        # Only the administrator's rows: never SocialApps (and their secrets) in the database.
        return providers.apps(provider=provider, client_id=client_id)

    def list_providers(self, request):
        return [p for p in super().list_providers(request) if not p.app.settings.get("hidden")]

    def pre_social_login(self, request, sociallogin):
        signin.check(request, sociallogin)

    def is_auto_signup_allowed(self, request, sociallogin):
        return True  # check() has refused a sign-in without an address or with a taken one

    def is_open_for_signup(self, request, sociallogin):
        row = providers.find(sociallogin.account.provider)
        return row is not None and row.is_enabled and row.purpose == "orderer_sign_in"

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        signin.populate(user)
        return user

    def save_user(self, request, sociallogin, form=None):
        signin.populate(sociallogin.user)
        user = super().save_user(request, sociallogin, form=form)
        signin.account_created(request, user, sociallogin)
        return user

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        signin.failed(request, provider, error, exception)


class AccountAdapter(OutboxAccountAdapter):
    def get_login_stages(self):
        # The second factor is asked as before, unless the provider's strong method was
        # accepted (stages.py).
        return [
            "kokemustori.identity.stages.SecondFactorStage" if path == MFA_STAGE else path
            for path in super().get_login_stages()
        ]

    def get_logout_redirect_url(self, request):
        # Asked before the session is emptied: which provider this session came through.
        slug = request.user.is_authenticated and request.session.get(signin.SESSION_PROVIDER)
        if slug:
            return reverse("identity:signed_out", kwargs={"slug": slug})
        return super().get_logout_redirect_url(request)
