from urllib.parse import urlencode

import requests
from allauth.socialaccount.adapter import get_adapter
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from kokemustori.core.roles import expert_of
from kokemustori.experts import identity as codes

from . import confirmation
from .oidc import views as oidc_views
from .providers import find


def _end_session_endpoint(row) -> str:
    url = row.discovery_url
    if "/.well-known/" not in url:
        url = url.rstrip("/") + "/.well-known/openid-configuration"
    try:
        with get_adapter().get_requests_session() as session:
            response = session.get(url, timeout=5)
            response.raise_for_status()
            endpoint = response.json().get("end_session_endpoint") or ""
    except (requests.RequestException, ValueError):
        return ""
    return endpoint if endpoint.startswith(("https://", "http://")) else ""


@require_http_methods(["GET"])
def signed_out(request, slug):
    """After logging out of Kokemustori: offer to sign out of the provider too, where it has
    an end-session endpoint."""
    row = find(slug)
    endpoint = _end_session_endpoint(row) if row is not None and row.is_enabled else ""
    if not endpoint:
        return redirect("pages:home")
    query = urlencode(
        {
            "client_id": row.client_id,
            "post_logout_redirect_uri": settings.SITE_URL.rstrip("/") + "/",
        }
    )
    separator = "&" if "?" in endpoint else "?"
    return render(
        request,
        "identity/signed_out.html",
        {"provider": row, "end_session_url": f"{endpoint}{separator}{query}"},
    )


class ConfirmForm(forms.Form):
    take_code = forms.BooleanField(
        label=_("Also take my personal identity code for the payer from the identification"),
        required=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request):
    """An expert confirms their legal name with the strong-identification broker."""
    expert = expert_of(request.user)
    broker = confirmation.broker()
    if expert is None or broker is None:
        raise Http404
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[confirmation.TAKE_CODE] = bool(form.cleaned_data["take_code"])
        return oidc_views.login(request, provider_id=broker.slug)
    return render(
        request,
        "identity/confirm.html",
        {
            "form": form,
            "broker": broker,
            "confirmation": confirmation.of(expert),
            "codes_available": codes.available(),
            "login_url": reverse("openid_connect_login", kwargs={"provider_id": broker.slug}),
        },
    )
