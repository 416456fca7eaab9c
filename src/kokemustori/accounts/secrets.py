"""Secrets at rest: the authenticator (TOTP) secrets and recovery-code seeds that allauth.mfa
keeps in the database are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from the
`cryptography` library) under the keys in the MFA_ENCRYPTION_KEYS setting.

The first key encrypts; every key decrypts (MultiFernet), so a key is rotated by putting a new
one first, running `manage.py rotate_mfa_keys`, and then removing the old one (README).
A stored value is "fernet:" followed by the token, so a value stored in the clear (before the
data migration ran) is recognised and refused rather than used.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "fernet:"


class SecretNotReadable(Exception):
    """A stored secret that none of the keys opens, or that was never encrypted."""


def development_key(secret_key: str) -> str:
    """The key of a development run without MFA_ENCRYPTION_KEYS: derived from SECRET_KEY.
    Production refuses to start without keys of its own (settings.py)."""
    digest = hashlib.sha256(f"kokemustori-mfa-encryption:{secret_key}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _cipher() -> MultiFernet:
    keys = list(settings.MFA_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("MFA_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes); "
            "make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        ) from error


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt(text: str) -> str:
    return PREFIX + _cipher().encrypt(text.encode()).decode()


def decrypt(value: str) -> str:
    if not is_encrypted(value):
        raise SecretNotReadable("The secret is not encrypted: run `manage.py migrate`.")
    try:
        return _cipher().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise SecretNotReadable(
            "None of MFA_ENCRYPTION_KEYS opens this secret: was a key removed too early?"
        ) from error


def rotate(value: str) -> str:
    """The same secret under the first key (MultiFernet.rotate)."""
    if not is_encrypted(value):
        return encrypt(value)
    try:
        token = _cipher().rotate(value[len(PREFIX) :].encode())
    except InvalidToken as error:
        raise SecretNotReadable("None of MFA_ENCRYPTION_KEYS opens this secret.") from error
    return PREFIX + token.decode()


# Where allauth.mfa keeps secrets in Authenticator.data: one string, or a list of strings.
SECRET_FIELDS = ("secret", "seed", "migrated_codes")


def transform_data(data: dict, change) -> dict:
    """A copy of an authenticator's data with `change` applied to each secret in it."""
    out = dict(data)
    for name in SECRET_FIELDS:
        if name not in out:
            continue
        value = out[name]
        out[name] = [change(item) for item in value] if isinstance(value, list) else change(value)
    return out
