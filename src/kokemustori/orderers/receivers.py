"""allauth tells us when an address is confirmed or changed: the orderer's verification by
e-mail domain follows the address."""

from allauth.account.signals import email_changed, email_confirmed
from django.dispatch import receiver

from . import verification
from .models import Orderer


@receiver(email_confirmed)
def on_email_confirmed(request, email_address, **kwargs):
    orderer = Orderer.objects.filter(user_id=email_address.user_id).select_related("user").first()
    if orderer is not None:
        verification.verify_by_domain(orderer)


@receiver(email_changed)
def on_email_changed(request, user, **kwargs):
    verification.email_changed(user)
