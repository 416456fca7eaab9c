"""The configured identity providers as allauth's SocialApps: built from the rows an
administrator keeps, with the client secret from the environment (never from the database).
A provider that is switched off has no app, so its sign-in and callback addresses answer 404
from that moment on."""

import os
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp

from .models import IdentityProvider, Purpose

PROVIDER = "openid_connect"


def enabled():
    return IdentityProvider.objects.filter(is_enabled=True)


def find(slug) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(slug=slug).first()


def as_app(row: IdentityProvider) -> SocialApp:
    """An unsaved SocialApp: allauth's OpenID Connect provider with PKCE."""
    return SocialApp(
        provider=PROVIDER,
        provider_id=row.slug,
        name=row.organisation_name,
        client_id=row.client_id,
        secret=os.environ.get(row.secret_variable, ""),
        settings={
            "server_url": row.discovery_url,
            "oauth_pkce_enabled": True,
            # The broker is no way to sign in: it is never listed on the login page.
            "hidden": row.purpose != Purpose.ORDERER_SIGN_IN,
        },
    )


def apps(provider=None, client_id=None) -> list[SocialApp]:
    rows = enabled()
    if provider not in (None, PROVIDER):
        rows = rows.filter(slug=provider)
    if client_id:
        rows = rows.filter(client_id=client_id)
    return [as_app(row) for row in rows]


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def form_action_origins() -> list[str]:
    """The sign-in buttons are forms whose answer redirects to the provider: the page's
    Content-Security-Policy must allow those origins as form targets."""
    return sorted({o for o in (origin(r.discovery_url) for r in enabled()) if o})
