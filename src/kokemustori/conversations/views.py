"""A thread's own page: read it (marked read) and write to it. The order's page and the offer
page show the same thread with the same form; a message posted there comes back there."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kokemustori.core.permissions import require
from kokemustori.experts.models import Expert
from kokemustori.offers.models import Offer
from kokemustori.orders.models import Order

from . import services
from .forms import MessageForm
from .pages import open_thread

BACK_TO = ("order", "offer", "thread")


def _order(pk):
    return get_object_or_404(Order.objects.select_related("orderer__user"), pk=pk)


@login_required
def order_thread(request, order_pk):
    thread = services.thread_of(_order(order_pk))
    return _thread_page(request, thread)


@login_required
def expert_thread(request, order_pk, expert_pk):
    order = _order(order_pk)
    expert = get_object_or_404(Expert.objects.select_related("user", "organisation"), pk=expert_pk)
    return _thread_page(request, services.thread_of(order, expert))


def _back_url(request, thread, back: str) -> str:
    """Where a posted message leads: back to the page it was written on, if it is the
    writer's to see, else to the thread's own page."""
    order = thread.order
    if back == "order" and rules.has_perm("orders.view_order", request.user, order):
        return reverse("orders:detail", args=[order.pk]) + "#messages"
    if back == "offer" and not thread.is_main:
        offer = Offer.objects.filter(
            order=order, expert=thread.expert, expert__user=request.user
        ).first()
        if offer is not None:
            return reverse("offers:detail", args=[offer.pk]) + "#messages"
    return _own_url(thread) + "#messages"


def _own_url(thread) -> str:
    if thread.is_main:
        return reverse("conversations:order_thread", args=[thread.order_id])
    return reverse("conversations:expert_thread", args=[thread.order_id, thread.expert_id])


def _thread_page(request, thread):
    require(request.user, "conversations.read_thread", thread, hide=True)
    form = None
    status = 200
    if request.method == "POST":
        require(request.user, "conversations.write_message", thread, hide=True)
        form = MessageForm(request.POST)
        back = request.POST.get("back", "thread")
        if form.is_valid():
            services.post(request.user, thread, form.cleaned_data["body"])
            messages.success(request, _("Your message was sent."))
            return redirect(_back_url(request, thread, back if back in BACK_TO else "thread"))
        messages.error(request, _("The message was not sent. See the note by the form."))
        status = 400
    view = open_thread(thread, request.user, back="thread", form=form)
    back_url = _back_url(request, thread, "offer" if _is_expert(request, thread) else "order")
    return render(
        request,
        "conversations/thread.html",
        {"view": view, "order": thread.order, "back_url": back_url.removesuffix("#messages")},
        status=status,
    )


def _is_expert(request, thread) -> bool:
    return not thread.is_main and thread.expert.user_id == request.user.pk
