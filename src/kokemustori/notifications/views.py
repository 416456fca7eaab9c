"""The outbox page for staff: e-mails by state, each with its last error, and "send again"."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kokemustori.core.permissions import require
from kokemustori.outbox import services as outbox_services
from kokemustori.outbox.models import OutboundEmail, State

from .queries import outbox_visible_to, state_counts

PAGE_SIZE = 30
# The tabs, problems first; "failed" is the default.
TABS = (State.FAILED, State.DEAD, State.QUEUED, State.SENDING, State.SENT)


@login_required
@require_GET
def outbox(request):
    require(request.user, "notifications.view_outbox")
    visible = outbox_visible_to(request.user)
    state = request.GET.get("state", State.FAILED)
    if state not in State.values:
        state = State.FAILED
    counts = state_counts(visible)
    emails = visible.filter(state=state).select_related("user").order_by("-created_at", "pk")
    page = Paginator(emails, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [(s, State(s).label, counts.get(s, 0)) for s in TABS]
    return render(
        request, "notifications/outbox/list.html", {"page": page, "state": state, "tabs": tabs}
    )


def _email_for(request, pk) -> OutboundEmail:
    email = get_object_or_404(OutboundEmail.objects.select_related("user"), pk=pk)
    require(request.user, "notifications.view_email", email, hide=True)
    return email


@login_required
@require_GET
def email_detail(request, pk):
    email = _email_for(request, pk)
    copies = outbox_visible_to(request.user).filter(resend_of=email).order_by("created_at")
    can_copy = rules.has_perm("notifications.resend_email", request.user, email)
    return render(
        request,
        "notifications/outbox/detail.html",
        {"email": email, "copies": copies, "can_copy": can_copy},
    )


@login_required
@require_POST
def retry(request, pk):
    email = _email_for(request, pk)
    if rules.has_perm("notifications.retry_email", request.user, email) and outbox_services.retry(
        email
    ):
        messages.success(request, _("The e-mail will be sent again in a moment."))
    else:
        messages.warning(request, _("This e-mail is no longer waiting to be sent again."))
    return redirect("notifications:email", pk=email.pk)


@login_required
@require_POST
def resend(request, pk):
    email = _email_for(request, pk)
    copy = None
    if rules.has_perm("notifications.resend_email", request.user, email):
        copy = outbox_services.resend(email)
    if copy is not None:
        messages.success(request, _("A copy of the e-mail will be sent in a moment."))
    else:
        messages.warning(request, _("This e-mail cannot be sent again as a copy."))
    return redirect("notifications:email", pk=email.pk)
