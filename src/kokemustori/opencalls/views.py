from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kokemustori.core.forms import add_validation_errors
from kokemustori.core.permissions import require
from kokemustori.core.roles import coordinated_organisation_ids, expert_of
from kokemustori.matching.forms import SendOffersForm
from kokemustori.matching.views import why_not
from kokemustori.offers.models import Offer
from kokemustori.offers.services import default_expiry
from kokemustori.orders.models import Order

from . import services
from .eligibility import calls_for
from .forms import InterestForm, PublishForm
from .models import CallState, Interest, OpenCall

ORDER_PARTS = ("order__task_type", "order__language", "order__region", "order__topic")


# ---- experts -----------------------------------------------------------------------------


@login_required
def my_calls(request):
    expert = expert_of(request.user)
    if expert is None:
        return redirect("pages:dashboard")
    calls = calls_for(expert)
    answered = set(
        Interest.objects.filter(expert=expert, call__in=calls).values_list("call_id", flat=True)
    )
    return render(
        request,
        "opencalls/list.html",
        {"rows": [(call, call.pk in answered) for call in calls]},
    )


def _call_for_expert(request, pk):
    """An expert sees a call only while matching would let them be offered its order: for
    anyone else, and for a call they may not answer, it does not exist (404; the rule
    `opencalls.answer`)."""
    call = get_object_or_404(OpenCall.objects.select_related(*ORDER_PARTS, "order__orderer"), pk=pk)
    require(request.user, "opencalls.answer", call, hide=True)
    return expert_of(request.user), call


@login_required
def detail(request, pk):
    expert = expert_of(request.user)
    offer = Offer.objects.filter(order__open_call__pk=pk, expert=expert).first() if expert else None
    if offer is not None:
        return redirect("offers:detail", offer.pk)  # chosen: the call led to this offer
    expert, call = _call_for_expert(request, pk)
    interest = Interest.objects.filter(call=call, expert=expert).first()
    form = InterestForm(
        request.POST if request.method == "POST" else None,
        initial={"note": interest.note} if interest else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.express_interest(call, expert, form.cleaned_data["note"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you! Your coordinators will tell you if the assignment is offered to you."
                ),
            )
            return redirect("opencalls:detail", call.pk)
    return render(
        request,
        "opencalls/detail.html",
        {"call": call, "order": call.order, "interest": interest, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def withdraw(request, pk):
    expert, call = _call_for_expert(request, pk)
    if services.withdraw_interest(call, expert):
        messages.success(request, _("Your interest was withdrawn."))
    return redirect("opencalls:detail", call.pk)


# ---- coordinators ------------------------------------------------------------------------


@login_required
def publish(request, order_pk):
    order = get_object_or_404(Order, pk=order_pk)
    require(request.user, "opencalls.manage", order, hide=True)
    form = PublishForm(
        request.POST if request.method == "POST" else None,
        initial={"answer_by": services.default_answer_by(order)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            call = services.publish(
                order,
                actor=request.user,
                answer_by=form.cleaned_data["answer_by"],
                message=form.cleaned_data["message"].strip(),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The open call was published."))
            return redirect("opencalls:manage", call.pk)
    return render(
        request,
        "opencalls/publish.html",
        {
            "order": order,
            "form": form,
            "publishable": order.state in services.PUBLISHABLE,
            "reach": services.eligible_experts(order).count()
            if order.state in services.PUBLISHABLE
            else 0,
        },
        status=400 if form.errors else 200,
    )


def _managed_call(request, pk):
    call = get_object_or_404(OpenCall.objects.select_related(*ORDER_PARTS), pk=pk)
    require(request.user, "opencalls.manage", call.order, hide=True)
    return call


@login_required
def manage(request, pk):
    """The interested experts, ranked with matching's reasons; offering to the chosen ones."""
    call = _managed_call(request, pk)
    order = call.order
    result, ranked, gone = services.interested(call, viewer=request.user)
    may = {r.expert_id for r, _interest in ranked}
    data = request.POST if request.method == "POST" else None
    form = SendOffersForm(
        data,
        order=order,
        allowed=lambda ids: may,
        explain=lambda ids: why_not(order, ids, viewer=request.user),
        initial={"expires_at": default_expiry(order)},
    )
    if data is not None and call.is_open and form.is_valid():
        try:
            created = services.offer_to_chosen(
                call,
                form.cleaned_data["experts"],
                actor=request.user,
                message=form.cleaned_data["message"].strip(),
                expires_at=form.cleaned_data["expires_at"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The offer was sent to %(count)s expert.",
                    "The offer was sent to %(count)s experts.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("opencalls:manage", call.pk)
    own = coordinated_organisation_ids(request.user)
    offered = set(order.offers.values_list("expert_id", flat=True))
    rows = [
        {
            "position": position,
            "ranked": r,
            "interest": interest,
            "expert": interest.expert,
            "own": interest.expert.organisation_id in own,
        }
        for position, (r, interest) in enumerate(ranked, start=1)
    ]
    gone_rows = [
        {
            "interest": interest,
            "expert": interest.expert,
            "own": interest.expert.organisation_id in own,
            "offered": interest.expert_id in offered,
        }
        for interest in gone
    ]
    selected = {str(v) for v in (form["experts"].value() or [])} if data is not None else set()
    return render(
        request,
        "opencalls/manage.html",
        {
            "call": call,
            "order": order,
            "rows": rows,
            "gone": gone_rows,
            "form": form,
            "selected": selected,
            "is_open": call.state == CallState.OPEN,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def close(request, pk):
    call = _managed_call(request, pk)
    told = services.close(call, actor=request.user)
    messages.success(
        request,
        ngettext(
            "The open call was closed. %(count)s interested expert was told kindly.",
            "The open call was closed. %(count)s interested experts were told kindly.",
            len(told),
        )
        % {"count": len(told)},
    )
    return redirect("opencalls:manage", call.pk)
