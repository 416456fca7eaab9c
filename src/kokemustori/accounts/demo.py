"""The demo's authenticator app. Demo coordinators and the demo administrator share one
publicly known TOTP secret, so that `make run` can be tried without a phone: add the secret to
any authenticator app, or print the current code with `manage.py demo_totp`. Never used
outside the demo data."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

DEMO_TOTP_SECRET = "KOKEMUSTORIDEMOAUTHENTICATORXXYZ"  # base32, 160 bits like allauth's own


def activate_demo_authenticator(user):
    return TOTP.activate(user, DEMO_TOTP_SECRET)


def current_code(secret: str = DEMO_TOTP_SECRET, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // app_settings.TOTP_PERIOD)
    return format_hotp_value(hotp_value(secret, counter))
