"""Audit of sign-ins and links, and which provider a session came through (for logout)."""

from allauth.account.signals import user_logged_in
from allauth.socialaccount.signals import social_account_added
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from . import signin


@receiver(user_logged_in, dispatch_uid="identity_signed_in")
def _signed_in(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None:
        signin.signed_in(request, user, sociallogin)


@receiver(social_account_added, dispatch_uid="identity_linked")
def _linked(sender, request, sociallogin, **kwargs):
    signin.linked(request, sociallogin.user, sociallogin)


@receiver(user_logged_out, dispatch_uid="identity_signed_out")
def _signed_out(sender, request, user, **kwargs):
    # The session is emptied after this signal: keep the provider for the logout page.
    if request is not None and hasattr(request, "session"):
        request.identity_signed_out_of = request.session.get(signin.SESSION_PROVIDER)
