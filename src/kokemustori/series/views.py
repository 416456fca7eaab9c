from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kokemustori.core.forms import add_validation_errors
from kokemustori.core.permissions import require
from kokemustori.core.roles import expert_of
from kokemustori.orders.models import Order

from . import services
from .forms import AttendanceForm, CancelMeetingForm, SetUpForm
from .models import Meeting, Series, SeriesFee


@login_required
def set_up(request, order_pk):
    order = get_object_or_404(Order, pk=order_pk)
    require(request.user, "series.set_up", order, hide=True)
    existing = services.series_of(order)
    if existing is not None:
        return redirect("series:detail", existing.pk)
    form = SetUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        times = data.pop("meetings")
        try:
            series = services.set_up(order, actor=request.user, meeting_times=times, **data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The order is now a series of meetings."))
            return redirect("series:detail", series.pk)
    return render(
        request,
        "series/set_up.html",
        {"order": order, "form": form, "plannable": order.state in services.PLANNABLE},
        status=400 if form.errors else 200,
    )


@login_required
def detail(request, pk):
    series = get_object_or_404(Series.objects.select_related("order"), pk=pk)
    require(request.user, "series.view", series, hide=True)
    manages = request.user.has_perm("series.manage", series)
    expert = None if manages else expert_of(request.user)
    meetings = list(series.meetings.prefetch_related("attendance"))
    agreements = list(services._agreements(series)) if manages else []
    fees = series.fees.select_related("meeting")
    if not manages:
        fees = fees.filter(expert=expert)
    rows = []
    for meeting in meetings:
        recorded = {a.expert_id: a for a in meeting.attendance.all()}
        if manages:
            cells = [recorded.get(a.expert_id) for a in agreements]
        else:
            cells = [recorded.get(expert.pk)]
        rows.append({"meeting": meeting, "cells": cells})
    return render(
        request,
        "series/detail.html",
        {
            "series": series,
            "order": series.order,
            "rows": rows,
            "agreements": agreements,
            "fees": list(fees),
            "manages": manages,
            "cancel_form": CancelMeetingForm(),
        },
    )


def _managed_meeting(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("series__order"), pk=pk)
    require(request.user, "series.manage", meeting.series, hide=True)
    return meeting


@login_required
@require_POST
def cancel_meeting(request, pk):
    meeting = _managed_meeting(request, pk)
    form = CancelMeetingForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_meeting(request.user, meeting, form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, _("The meeting was cancelled. The series and its other meetings stay.")
            )
            return redirect("series:detail", meeting.series_id)
    return render(
        request,
        "series/cancel.html",
        {"meeting": meeting, "series": meeting.series, "form": form},
        status=400,
    )


@login_required
def attendance(request, pk):
    meeting = _managed_meeting(request, pk)
    rows = services.attendance_rows(meeting)
    form = AttendanceForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(request.user, meeting, form.answers())
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Attendance was recorded."))
            return redirect("series:detail", meeting.series_id)
    return render(
        request,
        "series/attendance.html",
        {"meeting": meeting, "series": meeting.series, "form": form, "rows": rows},
        status=400 if form.errors else 200,
    )


def _back_to_pay_list(request):
    """Back to the fee list the coordinator came from (a path on this site only)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("fees:list")


def _fee_step(request, pk, step, done):
    fee = get_object_or_404(SeriesFee.objects.select_related("agreement", "expert"), pk=pk)
    require(request.user, "series.pay_fee", fee, hide=True)
    try:
        step(request.user, fee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"name": fee.agreement.expert_legal_name})
    return _back_to_pay_list(request)


@login_required
@require_POST
def approve_fee(request, pk):
    return _fee_step(
        request, pk, services.approve_fee, _("The series fee of %(name)s was approved.")
    )


@login_required
@require_POST
def mark_fee_paid(request, pk):
    return _fee_step(
        request, pk, services.mark_fee_paid, _("The series fee of %(name)s was marked paid.")
    )
