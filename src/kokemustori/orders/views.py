from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kokemustori.core.forms import REASON_LIMIT, ReasonForm
from kokemustori.core.permissions import require
from kokemustori.core.roles import coordinated_organisation_ids, orderer_of
from kokemustori.experts.public import public_profile

from . import signals, steps, wishes, workflow
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


@login_required
def order_list(request):
    """The orderer's own orders; a draft's link continues it."""
    require(request.user, "orders.create_order")
    orders = (
        Order.objects.filter(orderer__user=request.user)
        .select_related("task_type")
        .order_by("-created_at")
    )
    return render(request, "orders/list.html", {"orders": orders})


@login_required
def create(request):
    """Step 1 of a new order: saving it makes the draft that the other steps fill in."""
    require(request.user, "orders.create_order")
    order = Order()
    # From "Order this expert" on a public profile: the link's ?expert=, then the form's field.
    wished = wishes.wishable(request.POST.get("wished_expert") or request.GET.get("expert"))
    if wished is not None:
        wishes.start_with_wish(order, wished)
    return _step(request, order, steps.STEPS[0], wished=wished)


def _editable(request, pk):
    order = _order(pk)
    require(request.user, "orders.view_order", order, hide=True)
    require(request.user, "orders.edit_order", order)
    return order


@login_required
@require_GET
def edit(request, pk):
    """Continue a draft (or an order whose changes were asked) where something is missing."""
    order = _editable(request, pk)
    step = steps.resume_at(order)
    if step is None:
        return redirect("orders:check", pk=order.pk)
    return redirect("orders:form_step", pk=order.pk, section=step.slug)


@login_required
def form_step(request, pk, section):
    order = _editable(request, pk)
    step = steps.BY_SLUG.get(section)
    if step is None:
        raise Http404
    return _step(request, order, step)


def _step(request, order, step, wished=None):
    """One step of the guided form. Saving keeps whatever is valid as typed: only a field's
    own format is checked here; what sending needs is listed on the check page."""
    orderer = orderer_of(request.user)
    form = OrderForm(
        request.POST if request.method == "POST" else None,
        instance=order,
        orderer=orderer,
        only=steps.step_fields(step, order),
        needed=steps.required_in(step, order),
    )
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                order = form.save(commit=False)
                if not order.pk:
                    order.orderer = orderer
                order.save()
            if "later" in request.POST:
                messages.success(request, _("Draft saved. You can continue later."))
                return redirect("orders:list")
            _previous, following = steps.neighbours(step)
            if following is None:
                return redirect("orders:check", pk=order.pk)
            return redirect("orders:form_step", pk=order.pk, section=following.slug)
        messages.error(request, _("Please check the fields marked below."))
    previous, _following = steps.neighbours(step)
    context = {
        "form": form,
        "order": order if order.pk else None,
        "step": step,
        "number": steps.number_of(step),
        "total": len(steps.STEPS),
        "progress": _progress(order, step),
        "previous": previous,
        "wished": public_profile(wished) if wished is not None else None,
    }
    if step.slug == "fee" and order.task_type_id:
        context["fee_rows"] = published_rows(order.task_type_id)
        context["fee_task_type"] = order.task_type
    return render(request, "orders/step.html", context)


def _progress(order, current):
    """The steps as the progress list shows them: a link to each once the draft exists."""
    return [
        {
            "number": steps.number_of(step),
            "title": step.title,
            "current": step == current,
            "url": reverse("orders:form_step", args=[order.pk, step.slug]) if order.pk else "",
        }
        for step in steps.STEPS
    ]


@login_required
def check(request, pk):
    """Everything entered, section by section with a link to edit it; what still blocks
    sending, in form order; and the send button."""
    order = _editable(request, pk)
    refused = []
    if request.method == "POST":
        try:
            workflow.transition(order, "submit", actor=request.user)
        except workflow.TransitionRefused as refusal:
            refused = list(refusal.message_dict.get("__all__", []))
            messages.error(request, _("The order cannot be sent yet: see the list below."))
        else:
            messages.success(
                request, _("Thank you! The order was sent. A coordinator will review it.")
            )
            return redirect("orders:detail", pk=order.pk)
    gaps = steps.blocking(order)
    sections = [
        {
            "step": step,
            "number": steps.number_of(step),
            "answers": steps.answers(order, step),
            "gaps": [(name, message) for s, name, message in gaps if s == step],
        }
        for step in steps.STEPS
    ]
    return render(
        request,
        "orders/check.html",
        {
            "order": order,
            "gaps": gaps,
            "refused": refused,
            "sections": sections,
            "progress": _progress(order, None),
            "last": steps.STEPS[-1],
        },
        status=400 if request.method == "POST" else 200,
    )


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
