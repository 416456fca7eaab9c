"""Who must use a second factor, and whether this session has used one.

Coordinators and administrators can read experts' special-category data (health,
child-welfare clienthood), so a stolen password alone must not be enough. Experts and
orderers are not required to use one: many experts have little digital experience and log in
with a one-time code sent by e-mail instead.
"""

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings

from kokemustori.core.roles import is_coordinator

# The authentication record of a sign-in through an identity provider that reported a strong
# method the administrator accepted for it (kokemustori.identity): it counts as the second
# factor.
STRONG_SIGN_IN = "strong_sign_in"


def requires_second_factor(user) -> bool:
    if not getattr(settings, "REQUIRE_SECOND_FACTOR", True) or not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or is_coordinator(user)


def has_authenticator_app(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_used_second_factor(request, user) -> bool:
    """allauth records each way the user proved who they are in this session."""
    return any(
        r.get("method") in ("mfa", STRONG_SIGN_IN)
        for r in get_authentication_records(request, user)
    )


def remember_new_authenticator(request, user, authenticator) -> None:
    """Setting up the app means typing a valid code from it: that proves the factor for this
    session, so the user is not asked for a second code straight away."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
