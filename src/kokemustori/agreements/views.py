from datetime import timedelta

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kokemustori.core.permissions import require
from kokemustori.core.roles import coordinated_organisation_ids

from . import services
from .display import sections
from .forms import AmendForm, CancelForm
from .ics import calendar_for
from .models import Agreement, AgreementState

RELATED = (
    "order__orderer__user",
    "order__task_type",
    "expert__user",
    "expert__organisation",
    "expert__identity_confirmation",
)


def _agreement(request, pk) -> Agreement:
    agreement = get_object_or_404(Agreement.objects.select_related(*RELATED), pk=pk)
    require(request.user, "agreements.view_agreement", agreement, hide=True)
    return agreement


def _filename(agreement, extension) -> str:
    return f"{slugify(_('agreement')) or 'agreement'}-{agreement.pk}.{extension}"


def _render_detail(request, agreement, cancel_form=None):
    user = request.user
    side = services.cancelling_side(user, agreement)
    can_cancel = agreement.state != AgreementState.CANCELLED and side is not None
    context = {
        "agreement": agreement,
        "order": agreement.order,
        "sections": sections(agreement),
        "pending_party": services.pending_party(user, agreement),
        "i_am_expert": services.is_expert_of(user, agreement),
        "i_am_orderer": services.is_orderer_of(user, agreement),
        "can_cancel": can_cancel,
        "cancel_form": cancel_form or CancelForm(reason_required=services.reason_required(side)),
        "cancelling_side": side,
        "fee_due": services.fee_due_after_cancellation(agreement),
        "can_view_order": rules.has_perm("orders.view_order", user, agreement.order),
        "kept_copies": agreement.kept_copies.only("version", "language", "sha256", "created_at"),
        "can_amend": services.can_amend(user, agreement),
        # After the assignment: the debrief and the feedback are reached from here too.
        "followup_open": agreement.state == AgreementState.ACCEPTED
        and agreement.order.state in services.FINISHED_ORDER_STATES,
        "binding_version": services.binding_version(agreement),
    }
    return render(request, "agreements/detail.html", context)


@login_required
def detail(request, pk):
    return _render_detail(request, _agreement(request, pk))


@login_required
@require_POST
def accept(request, pk):
    agreement = _agreement(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None  # an old page without the field: the version shown now is accepted
    try:
        services.accept(request.user, agreement, version)
    except PermissionDenied:
        messages.error(request, _("Only the orderer and the expert accept an agreement."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if agreement.state == AgreementState.ACCEPTED:
            messages.success(
                request, _("Thank you. Both parties have now accepted: the agreement is binding.")
            )
        else:
            messages.success(
                request, _("Thank you. Your acceptance was recorded; the other party is next.")
            )
    return redirect("agreements:detail", pk=agreement.pk)


@login_required
@require_POST
def cancel(request, pk):
    agreement = _agreement(request, pk)
    side = services.cancelling_side(request.user, agreement)
    form = CancelForm(request.POST, reason_required=services.reason_required(side))
    if form.is_valid():
        try:
            services.cancel(request.user, agreement, form.cleaned_data["reason"])
        except PermissionDenied:
            messages.error(request, _("You may not cancel this agreement."))
            return redirect("agreements:detail", pk=agreement.pk)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The agreement was cancelled."))
            return redirect("agreements:detail", pk=agreement.pk)
    agreement.refresh_from_db()
    messages.error(request, _("Please check the fields marked below."))
    return _render_detail(request, agreement, cancel_form=form)


def _add_errors(form, error: ValidationError) -> None:
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, texts in errors.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


@login_required
def amend(request, pk):
    """A coordinator changes the terms (services.amend)."""
    agreement = _agreement(request, pk)
    require(request.user, "agreements.amend_agreement", agreement)
    if not services.can_amend(request.user, agreement):
        messages.error(
            request,
            _(
                "The terms can no longer be changed: the agreement was cancelled or the "
                "assignment has taken place."
            ),
        )
        return redirect("agreements:detail", pk=agreement.pk)
    form = AmendForm(request.POST or None, agreement=agreement)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.amend(
                    request.user, agreement, form.changes(), form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if changed.version != agreement.version:
                    messages.success(
                        request,
                        _(
                            "The terms were changed: version %(version)s now waits for both "
                            "parties to accept it."
                        )
                        % {"version": changed.version},
                    )
                else:
                    messages.success(request, _("The terms were changed."))
                return redirect("agreements:detail", pk=agreement.pk)
        messages.error(request, _("Please check the fields marked below."))
    return render(request, "agreements/amend.html", {"agreement": agreement, "form": form})


@login_required
def pdf(request, pk):
    agreement = _agreement(request, pk)
    services.record_download(request.user, agreement)
    response = HttpResponse(
        services.current_pdf(agreement, get_language()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(agreement, "pdf")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def kept_copy(request, pk, version, language):
    """A kept file exactly as it was accepted (any version, any kept language)."""
    agreement = _agreement(request, pk)
    copy = services.kept_copy(agreement, language, version)
    if copy is None:
        raise Http404
    services.record_download(request.user, agreement)
    response = HttpResponse(bytes(copy.content), content_type="application/pdf")
    name = f"{slugify(_('agreement')) or 'agreement'}-{agreement.pk}-v{copy.version}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def ics(request, pk):
    agreement = _agreement(request, pk)
    url = request.build_absolute_uri(reverse("agreements:detail", args=[agreement.pk]))
    response = HttpResponse(
        calendar_for(agreement, get_language(), url=url),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(agreement, "ics")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def mine(request):
    """The user's agreements: as the expert, as the orderer, and as a coordinator of the
    experts' organisation. Lists show the expert's public name only."""
    user = request.user
    base = Agreement.objects.select_related(*RELATED).order_by("-starts_at", "-pk")
    as_party = base.filter(Q(expert__user=user) | Q(order__orderer__user=user))
    coordinated = coordinated_organisation_ids(user)
    as_coordinator = None
    if coordinated:
        as_coordinator = (
            base.filter(expert__organisation_id__in=coordinated)
            .exclude(pk__in=as_party.values("pk"))
            .filter(starts_at__gte=timezone.now() - timedelta(days=60))[:100]
        )
    rows = [
        {
            "agreement": a,
            "as_expert": a.expert.user_id == user.pk,
            "waiting_for_me": services.pending_party(user, a) is not None,
        }
        for a in as_party
    ]
    return render(
        request,
        "agreements/mine.html",
        {"rows": rows, "as_coordinator": as_coordinator},
    )
