from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kokemustori.core.roles import expert_of

from . import services, signals
from .forms import AcceptForm
from .models import Offer, OfferState


def _my_offer(request, pk):
    """Experts see only their own offers; anything else is 404."""
    return get_object_or_404(
        Offer.objects.select_related(
            "order__task_type", "order__orderer", "order__language", "order__region", "order__topic"
        ),
        pk=pk,
        expert__user=request.user,
    )


def _page_extras(offer) -> dict:
    """What other apps add to the offer's page: the fees app, the earnings check."""
    extras = {}
    for _receiver, extra in signals.offer_page.send(sender=Offer, offer=offer):
        extras.update(extra)
    return extras


@login_required
def my_offers(request):
    expert = expert_of(request.user)
    if expert is None:
        return redirect("pages:dashboard")
    offers = expert.offers.select_related("order__task_type").order_by("-sent_at")
    return render(
        request,
        "offers/list.html",
        {
            "open_offers": [o for o in offers if o.state == OfferState.OPEN and not o.is_expired],
            "past_offers": [o for o in offers if o.state != OfferState.OPEN or o.is_expired],
        },
    )


@login_required
def detail(request, pk):
    offer = _my_offer(request, pk)
    extras = _page_extras(offer)
    check = extras.get("earnings")
    crosses = bool(check and check.crosses)
    form = AcceptForm(crosses_limit=crosses)
    if request.method == "POST":
        form = AcceptForm(request.POST, crosses_limit=crosses)
        if form.is_valid():
            try:
                agreement = services.accept(request.user, offer.pk, form.cleaned_data["fee_type"])
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
                return redirect("offers:detail", pk=offer.pk)
            messages.success(
                request,
                _("Thank you! You accepted. Please read and accept the agreement."),
            )
            return redirect("agreements:detail", pk=agreement.pk)
        messages.error(request, _("Please check the fields marked below."))
    return render(
        request,
        "offers/detail.html",
        {"offer": offer, "order": offer.order, "form": form, **extras},
    )


@login_required
@require_POST
def decline(request, pk):
    offer = _my_offer(request, pk)
    try:
        services.decline(request.user, offer.pk)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("You declined the offer. Thank you for answering."))
    return redirect("offers:mine")
