from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import Http404

from kokemustori.audit.log import record
from kokemustori.audit.models import Action

from .provider import SignatureCheckingAdapter


def _unknown(request, provider_id):
    """A provider that does not exist or is switched off: refused, and logged."""
    record(request.user, Action.OIDC_REFUSED, detail=f"provider {provider_id[:40]}: not in use")
    raise Http404


@login_not_required
def login(request, provider_id):
    try:
        view = OAuth2LoginView.adapter_view(SignatureCheckingAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        _unknown(request, provider_id)


@login_not_required
def callback(request, provider_id):
    try:
        view = OAuth2CallbackView.adapter_view(SignatureCheckingAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        _unknown(request, provider_id)
