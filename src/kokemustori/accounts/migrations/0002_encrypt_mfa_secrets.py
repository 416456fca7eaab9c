"""Encrypt the authenticator secrets that allauth.mfa stored in the clear before
kokemustori.accounts.mfa_adapter.MFAAdapter encrypted them (accounts/secrets.py)."""

from django.db import migrations

from kokemustori.accounts import secrets


def _encrypt(value):
    return value if secrets.is_encrypted(value) else secrets.encrypt(value)


def _decrypt(value):
    return secrets.decrypt(value) if secrets.is_encrypted(value) else value


def _apply(apps, change):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.order_by("pk"):
        data = secrets.transform_data(authenticator.data, change)
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def encrypt_all(apps, schema_editor):
    _apply(apps, _encrypt)


def decrypt_all(apps, schema_editor):
    _apply(apps, _decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_all, decrypt_all)]
