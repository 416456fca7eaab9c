from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kokemustori.core.forms import REASON_LIMIT, ReasonForm
from kokemustori.core.permissions import require

from . import verification
from .forms import OrdererForm
from .models import Orderer


@login_required
def profile(request):
    """Register as an orderer, or edit the orderer details."""
    try:
        instance = request.user.orderer
    except ObjectDoesNotExist:
        instance = None
    form = OrdererForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            orderer = form.save()
            verification.details_saved(orderer)
            messages.success(request, _("Your orderer details were saved."))
            return redirect("pages:dashboard")
        messages.error(request, _("Please check the fields marked below."))
    return render(
        request,
        "orderers/profile.html",
        {"form": form, "is_new": instance is None, "orderer": instance},
    )


@login_required
def waiting(request):
    """Coordinators: orderers waiting for verification, to approve or refuse."""
    require(request.user, "orderers.view_waiting")
    return _waiting_page(request)


def _waiting_page(request, refused=None):
    page = Paginator(verification.waiting(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "orderers/waiting.html",
        {"page": page, "refused": refused, "reason_limit": REASON_LIMIT},
        status=400 if refused else 200,
    )


@login_required
@require_POST
def decide(request, pk):
    """Approve or refuse one waiting orderer; refused, the list comes back with the typed
    reason and why beside its box."""
    require(request.user, "orderers.view_waiting")
    orderer = get_object_or_404(Orderer.objects.select_related("user"), pk=pk)
    require(request.user, "orderers.decide_verification", orderer, hide=True)
    decision = request.POST.get("decision")
    form = ReasonForm(request.POST)
    if decision not in ("approve", "refuse"):
        errors = [_("Choose whether to approve or not.")]
    elif form.is_valid():
        try:
            if decision == "approve":
                verification.approve(request.user, orderer)
                messages.success(request, _("The orderer was verified."))
            else:
                verification.refuse(request.user, orderer, form.cleaned_data["reason"])
                messages.success(request, _("The orderer was not verified; they see your reason."))
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("orderers:waiting")
    else:
        errors = form.errors["reason"]
    messages.error(
        request, _("Nothing was changed: %(why)s") % {"why": " ".join(str(e) for e in errors)}
    )
    typed = request.POST.get("reason", "").replace("\x00", "")
    return _waiting_page(
        request, {"form": "orderer", "pk": orderer.pk, "text": typed, "errors": errors}
    )
