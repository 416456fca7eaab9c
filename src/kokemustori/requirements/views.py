from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kokemustori.audit.log import record
from kokemustori.audit.models import Action
from kokemustori.core.permissions import require
from kokemustori.experts.models import Expert, ExpertStatus
from kokemustori.orders.models import Order

from . import services
from .forms import OrderRequirementsForm, QualificationForm
from .models import OrderRequirements, Qualification


@login_required
def order_requirements(request, order_pk):
    order = get_object_or_404(Order.objects.select_related("language"), pk=order_pk)
    require(request.user, "requirements.view_for_order", order, hide=True)
    require(request.user, "requirements.set_for_order", order)
    instance = OrderRequirements.objects.filter(order=order).first() or OrderRequirements(
        order=order
    )
    form = OrderRequirementsForm(
        request.POST if request.method == "POST" else None, instance=instance, order=order
    )
    if request.method == "POST" and form.is_valid():
        services.set_order_requirements(form, request.user)
        messages.success(request, _("The requirements of the order were saved."))
        return redirect("orders:detail", order.pk)
    return render(
        request,
        "requirements/order.html",
        {"order": order, "form": form},
        status=400 if form.errors else 200,
    )


def _expert(request, expert_pk):
    expert = get_object_or_404(
        Expert.objects.exclude(status=ExpertStatus.DRAFT).select_related("user"), pk=expert_pk
    )
    require(request.user, "requirements.record_for_expert", expert, hide=True)
    return expert


@login_required
def expert_record(request, expert_pk):
    expert = _expert(request, expert_pk)
    form = QualificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.record_qualification(expert, form.cleaned_data, request.user)
        messages.success(request, _("Recorded."))
        return redirect("requirements:expert", expert.pk)
    if request.method == "GET":
        record(request.user, Action.PROFILE_VIEWED, expert=expert)
    return render(
        request,
        "requirements/expert.html",
        {
            "expert": expert,
            "form": form,
            "qualifications": expert.qualifications.select_related("language", "recorded_by"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def remove_qualification(request, expert_pk, pk):
    expert = _expert(request, expert_pk)
    qualification = get_object_or_404(Qualification, pk=pk, expert=expert)
    services.remove_qualification(qualification, request.user)
    messages.success(request, _("Removed."))
    return redirect("requirements:expert", expert.pk)
