from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kokemustori.core.forms import REASON_LIMIT, ReasonForm
from kokemustori.core.permissions import require
from kokemustori.core.roles import coordinated_organisation_ids, orderer_of
from kokemustori.tasktypes.models import TaskType

from . import signals, workflow
from .completeness import missing_items
from .fees import published_rows
from .forms import OrderForm
from .models import Order, OrderState
from .timeline import visible_events

PLANNING_STATES = (OrderState.MATCHING, OrderState.OFFERED, OrderState.AGREED, OrderState.DONE)

OPEN_STATES = [
    OrderState.SUBMITTED,
    OrderState.NEEDS_CHANGES,
    OrderState.MATCHING,
    OrderState.OFFERED,
    OrderState.AGREED,
    OrderState.DONE,
    OrderState.DEBRIEFED,
]


def _order(pk):
    return get_object_or_404(
        Order.objects.select_related(
            "orderer__user", "organisation", "task_type", "topic", "language", "region"
        ),
        pk=pk,
    )


def _task_natures():
    return {str(t.pk): t.nature for t in TaskType.objects.filter(is_active=True)}


@login_required
def order_list(request):
    """The orderer's own orders."""
    require(request.user, "orders.create_order")
    orders = (
        Order.objects.filter(orderer__user=request.user)
        .select_related("task_type")
        .order_by("-created_at")
    )
    return render(request, "orders/list.html", {"orders": orders})


def _edit(request, order):
    orderer = orderer_of(request.user)
    data = request.POST if request.method == "POST" else None
    form = OrderForm(data, instance=order, orderer=orderer)
    missing = []
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                order = form.save(commit=False)
                order.orderer = orderer
                order.save()
            if "submit" in request.POST:
                try:
                    workflow.transition(order, "submit", actor=request.user)
                except workflow.TransitionRefused as refusal:
                    for field, errors in refusal.message_dict.items():
                        for error in errors:
                            form.add_error(field if field in form.fields else None, error)
                    messages.error(
                        request,
                        _(
                            "Your draft was saved, but it cannot be sent yet: please fill in the items marked below."
                        ),
                    )
                else:
                    messages.success(
                        request, _("Thank you! The order was sent. A coordinator will review it.")
                    )
                    return redirect("orders:detail", pk=order.pk)
            else:
                messages.success(request, _("Draft saved. You can continue later."))
                return redirect("orders:edit", pk=order.pk)
        else:
            messages.error(request, _("Please check the fields marked below."))
    elif order.pk:
        missing = missing_items(order)
    return render(
        request,
        "orders/form.html",
        {
            "form": form,
            "order": order if order.pk else None,
            "missing": missing,
            "task_natures": _task_natures(),
            "fee_rows": published_rows(chosen)
            if (chosen := _chosen_task_type(form, order))
            else [],
            "fee_task_type": TaskType.objects.filter(pk=chosen).first() if chosen else None,
        },
    )


def _chosen_task_type(form, order):
    """The task type typed in the form (if a valid id) or saved on the order."""
    value = form["task_type"].value()
    try:
        return int(value) if value not in (None, "") else order.task_type_id
    except (TypeError, ValueError):
        return order.task_type_id


@login_required
def create(request):
    require(request.user, "orders.create_order")
    return _edit(request, Order())


@login_required
def edit(request, pk):
    order = _order(pk)
    require(request.user, "orders.view_order", order, hide=True)
    require(request.user, "orders.edit_order", order)
    return _edit(request, order)


@login_required
def detail(request, pk):
    order = _order(pk)
    require(request.user, "orders.view_order", order, hide=True)
    return _detail_page(request, order)


def _detail_page(request, order, refused=None):
    """The order page. After a refused step with a typed reason (`refused`: the step, the
    text and why), the page comes back with the text in that step's box."""
    roles = workflow.roles_on(order, request.user)
    coordinated = coordinated_organisation_ids(request.user)
    agreements = order.agreements.select_related("expert")
    context = {
        "order": order,
        "roles": roles,
        "is_coordinator": workflow.COORDINATOR in roles,
        "is_orderer": workflow.ORDERER in roles,
        "actions": workflow.available(order, request.user),
        "reviewing": order.state == OrderState.SUBMITTED and workflow.COORDINATOR in roles,
        "events": visible_events(order, roles),
        "agreements": agreements,
        "coordinated": coordinated,
        "missing": missing_items(order)
        if order.state in (OrderState.DRAFT, OrderState.NEEDS_CHANGES)
        else [],
        "can_record_planning": order.planning_meeting
        and order.state in PLANNING_STATES
        and bool(roles),
        "refused": refused,
        "reason_limit": REASON_LIMIT,
    }
    # The offers and the follow-up on the page come from their own apps (orders/signals.py).
    for _receiver, extra in signals.order_page.send(
        sender=Order, order=order, user=request.user, roles=roles
    ):
        context.update(extra)
    return render(request, "orders/detail.html", context, status=400 if refused else 200)


@login_required
@require_POST
def take_step(request, pk, step):
    order = _order(pk)
    require(request.user, "orders.view_order", order, hide=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            workflow.transition(order, step, actor=request.user, reason=form.cleaned_data["reason"])
        except workflow.TransitionRefused as refusal:
            errors = refusal.messages
        else:
            label = workflow.TRANSITIONS[step].label
            messages.success(request, _("Done: %(step)s.") % {"step": label})
            return redirect("orders:detail", pk=order.pk)
    else:
        errors = [f"{form['reason'].label}: {error}" for error in form.errors["reason"]]
    typed = request.POST.get("reason", "").replace("\x00", "")
    shown = {t.name for t in workflow.available(order, request.user)}
    if typed.strip() and step in shown:
        # Something was written in a step's box: draw the page again with it, and why.
        messages.error(request, _("Nothing was changed. See the note by the form."))
        return _detail_page(request, order, {"step": step, "text": typed, "errors": errors})
    for text in errors:
        messages.error(request, text)
    return redirect("orders:detail", pk=order.pk)


@login_required
def inbox(request):
    """Orders the coordinator's organisations are in charge of, by state."""
    require(request.user, "experts.coordinate")
    coordinated = coordinated_organisation_ids(request.user)
    state = request.GET.get("state", "submitted")
    orders = Order.objects.in_charge_of(coordinated).exclude(state=OrderState.DRAFT)
    counts = dict(orders.values_list("state").annotate(n=Count("pk")))
    if state in OrderState.values:
        orders = orders.filter(state=state)
    orders = orders.select_related("orderer", "task_type").order_by("starts_at", "pk")
    page = Paginator(orders, 25).get_page(request.GET.get("page"))
    tabs = [(s, OrderState(s).label, counts.get(s, 0)) for s in OPEN_STATES]
    return render(
        request,
        "orders/inbox.html",
        {"page": page, "state": state, "tabs": tabs},
    )
