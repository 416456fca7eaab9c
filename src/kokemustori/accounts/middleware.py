"""Coordinators and administrators reach nothing but the set-up and log-in pages until their
session has been confirmed with an authenticator app (see second_factor.py for why)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .second_factor import (
    has_authenticator_app,
    requires_second_factor,
    session_used_second_factor,
)

# Pages a user who still owes the second factor may open: setting it up, proving it,
# switching language and leaving.
OPEN_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_login",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "mfa_authenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "set_language",
    }
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        match = request.resolver_match
        if match is None or match.url_name in OPEN_URL_NAMES:
            return None
        if not requires_second_factor(user):
            return None
        if session_used_second_factor(request, user):
            return None
        if not has_authenticator_app(user):
            return self._refuse(
                request,
                "mfa_activate_totp",
                _(
                    "Your work lets you see sensitive personal data, so your account needs a "
                    "second factor: a code from an app on your phone. Set it up to continue. "
                    "For safety you will first be asked for your password once more."
                ),
            )
        return self._refuse(
            request,
            "mfa_reauthenticate",
            _("Enter the code from your authenticator app to continue."),
        )

    def _refuse(self, request, url_name, message):
        if request.path_info.startswith("/api/"):
            return JsonResponse({"errors": {"__all__": [message]}}, status=403)
        messages.warning(request, message)
        target = reverse(url_name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
