"""Each person's notices: the list under the bell, marking read, and how each kind comes."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import notices
from .models import NOTICE_KINDS, Delivery, Notice

PAGE_SIZE = 30


class PreferencesForm(forms.Form):
    """One choice per kind of notice."""

    def __init__(self, *args, initial_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in initial_choices or {}:
            self.fields[kind] = forms.ChoiceField(
                label=NOTICE_KINDS[kind],
                choices=Delivery.choices,
                initial=(initial_choices or {}).get(kind, Delivery.NOW),
                error_messages={"invalid_choice": _("Choose one of the ways in the list.")},
            )


@login_required
@require_GET
def notice_list(request):
    mine = Notice.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    # The unread count comes from the header's context processor (unread_notices).
    return render(request, "notifications/notices.html", {"page": page})


@login_required
@require_GET
def open_notice(request, pk):
    """Mark the notice read and go to what it is about."""
    notice = notices.mark_read(request.user, pk)
    if notice is None:
        raise Http404
    safe = notice.link and url_has_allowed_host_and_scheme(
        notice.link, allowed_hosts={request.get_host()}
    )
    return redirect(notice.link if safe else "notifications:notices")


@login_required
@require_POST
def mark_read(request, pk):
    if notices.mark_read(request.user, pk) is None:
        raise Http404
    return redirect("notifications:notices")


@login_required
@require_POST
def mark_all_read(request):
    count = notices.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notices are marked as read."))
    return redirect("notifications:notices")


@login_required
def preferences(request):
    current = notices.preferences(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, initial_choices=current)
        if form.is_valid():
            notices.set_preferences(request.user, form.cleaned_data)
            messages.success(request, _("Your choices are saved."))
            return redirect("notifications:preferences")
        messages.error(request, _("Please check the fields marked below."))
    else:
        form = PreferencesForm(initial_choices=current)
    return render(request, "notifications/preferences.html", {"form": form})
