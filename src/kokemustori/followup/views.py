"""Planning meeting, debrief, feedback, and the coordinators' summary and support pages.

Thin views: the rules are in followup/rules.py and followup/services.py.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kokemustori.core.forms import add_validation_errors
from kokemustori.core.permissions import require
from kokemustori.experts.models import Expert
from kokemustori.orders.models import Order, OrderState

from . import aggregates, services
from .forms import (
    DebriefForm,
    DebriefHeldForm,
    ExpertFeedbackForm,
    OrdererFeedbackForm,
    PlanningForm,
)
from .models import Debrief, Feedback
from .participation import Participation


def _order(pk) -> Order:
    return get_object_or_404(
        Order.objects.select_related("orderer__user", "organisation", "task_type"), pk=pk
    )


def _expert(pk) -> Expert:
    return get_object_or_404(Expert.objects.select_related("user", "organisation"), pk=pk)


def _back(request, order, here):
    """The order page for those who may open it; experts stay on the follow-up page."""
    if rules.has_perm("orders.view_order", request.user, order):
        return reverse("orders:detail", args=[order.pk])
    return here


def _back_link(request, order):
    """Where the page's "back" link goes: the order page, or the user's own page."""
    return _back(request, order, reverse("pages:dashboard"))


def _check_fields(request):
    messages.error(request, _("Please check the fields marked below."))


# Planning meeting ----------------------------------------------------------------------------


@login_required
def planning(request, order_pk):
    order = _order(order_pk)
    require(request.user, "followup.view_planning", order, hide=True)
    can_record = rules.has_perm("followup.record_planning", request.user, order)
    is_open = order.state in services.PLANNING_STATES
    form = None
    if can_record:
        initial = {"held_at": order.planning_meeting_at, "notes": order.planning_notes}
        form = PlanningForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form is None:
            require(request.user, "followup.record_planning", order)
        if not is_open:
            form.add_error(
                None,
                _("A planning meeting cannot be recorded when the order is %(state)s.")
                % {"state": order.get_state_display()},
            )
        if form.is_valid():
            try:
                services.record_planning_meeting(
                    request.user, order, form.cleaned_data["held_at"], form.cleaned_data["notes"]
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("The planning meeting was recorded."))
                here = reverse("followup:planning", args=[order.pk])
                return redirect(_back(request, order, here))
        _check_fields(request)
    return render(
        request,
        "followup/planning.html",
        {
            "order": order,
            "form": form if is_open or request.method == "POST" else None,
            "can_record": can_record,
            "is_open": is_open,
            "back_url": _back_link(request, order),
        },
    )


# Debrief -------------------------------------------------------------------------------------


@login_required
def debrief(request, order_pk, expert_pk):
    order = _order(order_pk)
    expert = _expert(expert_pk)
    participation = Participation(order, expert)
    require(request.user, "followup.debrief", participation, hide=True)
    full = rules.has_perm("followup.record_full_debrief", request.user, participation)
    is_self = expert.user_id == request.user.pk
    existing = services.debrief_of(order, expert)
    done = order.state in services.AFTER_DONE_STATES
    if full:
        editable = done and (existing is not None or order.state == OrderState.DONE)
    else:
        editable = existing is None and order.state == OrderState.DONE
    initial = {"held_at": order.debrief_at, "held_by": order.debrief_by}
    if existing is not None:
        initial = {"held_at": existing.held_at, "held_by": existing.held_by}
        if full:
            initial.update(
                feelings=existing.feelings,
                evaluation=existing.evaluation,
                wants_support=existing.wants_support,
            )
    data = request.POST if request.method == "POST" else None
    if full:
        form = DebriefForm(data, initial=initial, for_expert=is_self)
    else:
        form = DebriefHeldForm(data, initial=initial)
    if request.method == "POST":
        if not editable:
            form.add_error(None, _("The debrief cannot be recorded here now."))
        if form.is_valid():
            try:
                services.record_debrief(request.user, order, expert, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("The debrief was recorded. Thank you!"))
                here = reverse("followup:debrief", args=[order.pk, expert.pk])
                return redirect(_back(request, order, here))
        _check_fields(request)
    context = {
        "order": order,
        "expert": expert,
        "full": full,
        "is_self": is_self,
        "form": form if editable or request.method == "POST" else None,
        # The orderer's template gets only when and by whom, never the Debrief itself.
        "held": {"held_at": existing.held_at, "held_by": existing.held_by} if existing else None,
        "debrief": existing if full else None,
        "done": done,
        "back_url": _back_link(request, order),
    }
    return render(request, "followup/debrief.html", context)


# Feedback ------------------------------------------------------------------------------------


@login_required
def feedback(request, order_pk, expert_pk):
    order = _order(order_pk)
    expert = _expert(expert_pk)
    direction = services.feedback_direction(request.user, order, expert)
    if direction is None:
        raise Http404
    by_orderer = direction == Feedback.ORDERER_ON_ASSIGNMENT
    form_class = OrdererFeedbackForm if by_orderer else ExpertFeedbackForm
    existing = services.existing_feedback(order, expert, direction)
    is_open = order.state in services.AFTER_DONE_STATES
    form = None
    if existing is None:
        form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if existing is not None:
            messages.error(request, _("You have already given this feedback. Thank you!"))
            return redirect(reverse("followup:feedback", args=[order.pk, expert.pk]))
        if not is_open:
            form.add_error(None, _("Feedback can be given once the assignment is done."))
        if form.is_valid():
            data = dict(form.cleaned_data)
            comment = data.pop("comment", "")
            try:
                services.give_feedback(
                    request.user, order, expert, direction, comment=comment, **data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Thank you for your feedback!"))
                here = reverse("followup:feedback", args=[order.pk, expert.pk])
                return redirect(_back(request, order, here))
        _check_fields(request)
    return render(
        request,
        "followup/feedback.html",
        {
            "order": order,
            "expert": expert,
            "by_orderer": by_orderer,
            "form": form,
            "existing": existing,
            "is_open": is_open,
            "back_url": _back_link(request, order),
        },
    )


# Coordinators --------------------------------------------------------------------------------


@login_required
def summary(request):
    require(request.user, "followup.coordinate")
    visible = aggregates.visible_feedback(request.user)
    return render(
        request,
        "followup/summary.html",
        {
            "on_orderers": aggregates.expert_on_orderer(visible),
            "on_assignments": aggregates.orderer_on_assignment(visible),
        },
    )


@login_required
def support(request):
    require(request.user, "followup.coordinate")
    if request.method == "POST":
        return _handle_support(request)
    requests_ = services.support_requests(request.user)
    return render(
        request,
        "followup/support.html",
        {
            "waiting": requests_.filter(support_handled_at__isnull=True),
            "handled": requests_.filter(support_handled_at__isnull=False).order_by(
                "-support_handled_at"
            )[:50],
        },
    )


def _handle_support(request):
    try:
        pk = int(request.POST.get("debrief", ""))
    except ValueError:
        raise Http404 from None
    debrief_ = get_object_or_404(Debrief.objects.select_related("expert"), pk=pk)
    require(request.user, "followup.handle_support", debrief_, hide=True)
    try:
        services.mark_support_handled(request.user, debrief_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as handled."))
    return redirect("followup:support")
