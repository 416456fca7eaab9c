from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from kokemustori.accounts import secrets


class Command(BaseCommand):
    help = (
        "Re-encrypt every authenticator secret under the first of MFA_ENCRYPTION_KEYS. "
        "Run after putting a new key first; then remove the old key."
    )

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
                rotated = secrets.transform_data(authenticator.data, secrets.rotate)
                if rotated != authenticator.data:
                    Authenticator.objects.filter(pk=authenticator.pk).update(data=rotated)
                    count += 1
        self.stdout.write(f"Re-encrypted the secrets of {count} authenticator(s).")
