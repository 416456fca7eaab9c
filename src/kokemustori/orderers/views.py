from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import OrdererForm


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
            form.save()
            messages.success(request, _("Your orderer details were saved."))
            return redirect("core:dashboard")
        messages.error(request, _("Please check the fields marked below."))
    return render(request, "orderers/profile.html", {"form": form, "is_new": instance is None})
