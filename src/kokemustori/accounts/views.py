from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .forms import SettingsForm


@require_POST
def set_language(request):
    """Switch the interface language; a logged-in user's choice is remembered for e-mails."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(
        SettingsForm.base_fields["language"].choices
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    # Resolve "next" in the language of its own prefix (/en/...), not in the cookie's or the
    # browser's language; otherwise Django cannot translate it and the page stays unchanged.
    try:
        next_path = urlsplit(request.POST.get("next", "")).path
    except ValueError:  # e.g. "http://[": not a URL; Django's view then ignores it too
        next_path = ""
    next_language = translation.get_language_from_path(next_path)
    if next_language is None:
        return django_set_language(request)
    with translation.override(next_language):
        return django_set_language(request)


@login_required
def account_settings(request):
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            messages.success(request, _("Your settings were saved."))
            next_url = translate_url(request.path, user.language)
            translation.activate(user.language)
            if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                response = redirect(next_url)
            else:
                response = redirect("accounts_settings")
            from django.conf import settings

            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language)
            return response
        messages.error(request, _("Please check the fields marked below."))
    return render(request, "accounts/settings.html", {"form": form})
