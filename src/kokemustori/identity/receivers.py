"""Audit of sign-ins and links."""

from allauth.account.signals import user_logged_in
from allauth.socialaccount.signals import social_account_added
from django.dispatch import receiver

from . import signin


@receiver(user_logged_in, dispatch_uid="identity_signed_in")
def _signed_in(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None:
        signin.signed_in(request, user, sociallogin)


@receiver(social_account_added, dispatch_uid="identity_linked")
def _linked(sender, request, sociallogin, **kwargs):
    signin.linked(request, sociallogin.user, sociallogin)
