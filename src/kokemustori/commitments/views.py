from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kokemustori.core.permissions import require
from kokemustori.core.roles import coordinated_organisations, expert_of
from kokemustori.experts.models import Expert

from . import services
from .forms import ProgrammeForm, SignForm, TextForm
from .models import Signature


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def texts(request):
    """A coordinator's page of their organisation's commitment: the current version, who has
    signed it, and a new version."""
    organisation = coordinated_organisations(request.user).order_by("pk").first()
    if organisation is None:
        raise PermissionDenied
    current = services.current_text(organisation)
    form = TextForm(
        request.POST if request.method == "POST" else None,
        initial={"text": current.text} if current else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            text = services.publish_text(request.user, organisation, form.cleaned_data["text"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Version %(version)s was saved.") % {"version": text.version}
            )
            return redirect("commitments:texts")
    signatures = Signature.objects.filter(text=current).select_related("expert") if current else []
    return render(
        request,
        "commitments/texts.html",
        {
            "organisation": organisation,
            "current": current,
            "signatures": signatures,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def sign(request):
    expert = expert_of(request.user)
    if expert is None:
        return redirect("pages:dashboard")
    current = services.current_text(expert.organisation)
    signature = services.signature_of(expert)
    form = SignForm(
        request.POST if request.method == "POST" and current is not None else None,
        initial={"version": current.version} if current else None,
    )
    if form.is_bound and form.is_valid():
        try:
            services.sign(request.user, expert, form.cleaned_data["version"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your signature was recorded."))
            return redirect("commitments:sign")
    return render(
        request,
        "commitments/sign.html",
        {
            "current": current,
            "signature": signature,
            "form": form,
            "may_sign": services.holds_a_kind(expert),
        },
        status=400 if form.errors else 200,
    )


@login_required
def programme(request, pk):
    expert = get_object_or_404(Expert, pk=pk)
    require(request.user, "experts.review_expert", expert, hide=True)
    form = ProgrammeForm(request.POST if request.method == "POST" else None, expert=expert)
    if request.method == "POST" and form.is_valid():
        try:
            services.combine(
                request.user, expert, form.cleaned_data["trainings"], form.cleaned_data["name"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The modules were recorded as one programme."))
            return redirect("experts:review_detail", expert.pk)
    return render(
        request,
        "commitments/programme.html",
        {
            "expert": expert,
            "form": form,
            "programmes": services.verified_programmes(expert),
        },
        status=400 if form.errors else 200,
    )
