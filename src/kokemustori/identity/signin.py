"""Who may sign in through an identity provider, and what a sign-in does.

* Identity is the provider plus its subject (`sub`): allauth's SocialAccount(provider=<slug>,
  uid=<sub>). The e-mail address alone never links anyone: a first sign-in whose address
  already belongs to an account is refused; that person signs in locally first and links the
  provider in their account settings.
* A first sign-in creates an orderer account in the provider's organisation, already verified
  as an orderer of it. It never creates or upgrades a coordinator or an administrator: the
  account holds no role but the orderer profile.
* A coordinator or administrator still completes the product's own second factor, unless the
  provider reported an acr or amr value the administrator accepted for it (`strong`).
* The strong-identification broker signs no one in: it only confirms an expert's legal name
  (confirmation.py).
Every sign-in, link and refusal is written to the audit log.
"""

from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from kokemustori.audit.log import record
from kokemustori.audit.models import Action
from kokemustori.core.roles import expert_of
from kokemustori.orderers.verification import create_verified_by_provider

from . import confirmation
from .models import Purpose
from .providers import find

# sociallogin.state: the slug of a provider whose report of a strong method was accepted.
STRONG = "kk_strong_authentication"


def claims(sociallogin) -> dict:
    """The verified ID token's claims (allauth keeps them in extra_data)."""
    data = sociallogin.account.extra_data or {}
    return data.get("id_token") or {}


def refuse(request, slug, reason, message, *, actor=None, target="account_login"):
    record(actor or request.user, Action.OIDC_REFUSED, detail=f"provider {slug}: {reason}")
    messages.error(request, message)
    raise ImmediateHttpResponse(redirect(target))


def check(request, sociallogin) -> None:
    """allauth's pre_social_login: every OIDC sign-in and link passes here after the token
    has been verified, before anyone is signed in."""
    slug = sociallogin.account.provider
    row = find(slug)
    if row is None or not row.is_enabled:
        refuse(request, slug, "not in use", _("This sign-in service is not in use."))
    process = sociallogin.state.get("process")
    data = sociallogin.account.extra_data or {}
    userinfo = data.get("userinfo")
    token = claims(sociallogin)
    if userinfo and token and str(userinfo.get("sub")) != str(token.get("sub")):
        refuse(request, slug, "userinfo subject differs", _("The sign-in could not be completed."))

    if row.purpose == Purpose.STRONG_IDENTIFICATION:
        expert = expert_of(request.user) if request.user.is_authenticated else None
        if process != "connect" or expert is None:
            refuse(
                request,
                slug,
                "broker is not a sign-in",
                _("This service confirms an expert's identity; it is not a way to sign in."),
            )
        confirmation.confirm(request, expert, row, token or userinfo or {})
        raise ImmediateHttpResponse(redirect("identity:confirm"))

    if process == "connect":
        return  # linking to the signed-in user: allauth refuses a subject linked elsewhere
    if row.accepts_as_strong(token.get("acr"), token.get("amr")):
        sociallogin.state[STRONG] = slug
    if sociallogin.is_existing:
        return
    email = (sociallogin.user.email or "").strip()
    if not email:
        refuse(
            request,
            slug,
            "no e-mail address",
            _("The sign-in service did not tell your e-mail address. Ask its administrator."),
        )
    if get_user_model().objects.filter(email__iexact=email).exists():
        refuse(
            request,
            slug,
            "address belongs to an account that is not linked",
            _(
                "An account with this e-mail address already exists. Sign in with it first, "
                "then link %(organisation)s to it in your account settings."
            )
            % {"organisation": row.organisation_name},
        )


def populate(user) -> None:
    """Nothing a provider says gives a role: a new account is a plain user."""
    user.is_staff = False
    user.is_superuser = False


def account_created(request, user, sociallogin) -> None:
    row = find(sociallogin.account.provider)
    orderer = create_verified_by_provider(user, row.organisation_name, row.slug)
    record(user, Action.OIDC_ACCOUNT_CREATED, detail=f"provider {row.slug}: orderer {orderer.pk}")


def signed_in(request, user, sociallogin) -> None:
    slug = sociallogin.account.provider
    strong = sociallogin.state.get(STRONG) == slug
    record(
        user,
        Action.OIDC_SIGNED_IN,
        detail=f"provider {slug}" + (": strong authentication accepted" if strong else ""),
    )
    request.session[SESSION_PROVIDER] = slug


def linked(request, user, sociallogin) -> None:
    record(user, Action.OIDC_LINKED, detail=f"provider {sociallogin.account.provider}")


def failed(request, provider, error, exception) -> None:
    """allauth's on_authentication_error: a state mismatch, a refused or forged token, a
    provider that answered with an error."""
    slug = getattr(getattr(provider, "app", None), "provider_id", "") or "?"
    reason = str(error or (type(exception).__name__ if exception else "unknown"))
    record(request.user, Action.OIDC_REFUSED, detail=f"provider {slug}: {reason}"[:300])


# request.session: which provider this session signed in through (for its end-session).
SESSION_PROVIDER = "identity_provider"
