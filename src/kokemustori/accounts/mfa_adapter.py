from allauth.mfa.adapter import DefaultMFAAdapter

from . import secrets


class MFAAdapter(DefaultMFAAdapter):
    """allauth.mfa with its secrets encrypted at rest (accounts/secrets.py)."""

    def encrypt(self, text: str) -> str:
        return secrets.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secrets.decrypt(encrypted_text)
