from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.stages import AuthenticateStage

from kokemustori.accounts.second_factor import STRONG_SIGN_IN

from .signin import STRONG


class SecondFactorStage(AuthenticateStage):
    """allauth's second-factor stage, skipped only when the identity provider reported a
    strong authentication method that the administrator accepted for it. The session then
    records that the second factor came from the provider, so the coordinators' and
    administrators' requirement (accounts.middleware) is met."""

    def handle(self):
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        slug = sociallogin.state.get(STRONG) if sociallogin is not None else None
        if slug and self.login.user is not None:
            record_authentication(self.request, self.login.user, STRONG_SIGN_IN, provider=slug)
            return None, True
        return super().handle()
