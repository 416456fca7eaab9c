"""Personal data pages: a person's own data (summary and JSON file) and erasure, and the same
for a coordinator answering an expert's request. The work is done in export.py and erasure.py;
every export is recorded in the audit log."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kokemustori.agreements.models import Agreement
from kokemustori.audit.log import record
from kokemustori.audit.models import Action
from kokemustori.core.permissions import require
from kokemustori.experts.models import Expert
from kokemustori.fees.models import FeeRecord

from . import erasure, export
from .forms import CoordinatorErasureForm, SelfErasureForm, confirmation_word


def _record_export(actor, subject, kind, sections) -> None:
    record(
        actor,
        Action.PERSONAL_DATA_EXPORTED,
        expert=Expert.objects.filter(user=subject).select_related("organisation").first(),
        detail=export.audit_detail(subject, kind, sections),
    )


def _json_file(sections, subject, stem) -> HttpResponse:
    content = json.dumps(
        export.as_json(sections, subject), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _kept(user) -> dict:
    """What erasure would keep for this person, for the confirmation page."""
    return {
        "agreements": Agreement.objects.filter(expert__user=user).count(),
        "fee_records": FeeRecord.objects.filter(expert__user=user).count(),
    }


def _expert(request, pk, perm) -> Expert:
    expert = get_object_or_404(Expert.objects.select_related("user", "organisation"), pk=pk)
    require(request.user, perm, expert, hide=True)
    return expert


# The person's own data --------------------------------------------------------------------


@require_safe
@never_cache
@login_required
def my_data(request):
    require(request.user, "privacy.export_own_data")
    sections = export.collect(request.user)
    _record_export(request.user, request.user, "summary", sections)
    return render(
        request,
        "privacy/summary.html",
        {
            "sections": sections,
            "own": True,
            "download_url": reverse("privacy:my_data_download"),
            "erase_url": reverse("privacy:erase_me"),
        },
    )


@require_safe
@never_cache
@login_required
def my_data_download(request):
    require(request.user, "privacy.export_own_data")
    sections = export.collect(request.user)
    _record_export(request.user, request.user, "json", sections)
    return _json_file(sections, request.user, "kokemustori-my-data")


def _posted(request):
    """The posted data, even when empty: an empty post must show what is missing."""
    return request.POST if request.method == "POST" else None


@never_cache
@login_required
def erase_me(request):
    require(request.user, "privacy.erase_own_data")
    user = request.user
    reasons = erasure.blockers(user)
    form = SelfErasureForm(_posted(request), user=user)
    if request.method == "POST" and not reasons and form.is_valid():
        try:
            erasure.erase(user, actor=user)
        except erasure.ErasureRefused as refused:
            reasons = refused.messages
        else:
            logout(request)
            return redirect("privacy:erased")
    return render(
        request,
        "privacy/erase.html",
        {
            "form": form,
            "reasons": reasons,
            "kept": _kept(user),
            "own": True,
            "word": confirmation_word(),
        },
        status=409 if request.method == "POST" and reasons else 200,
    )


@require_safe
def erased(request):
    return render(request, "privacy/erased.html")


# A coordinator answering an expert's request --------------------------------------------


@require_safe
@never_cache
@login_required
def expert_data(request, pk):
    expert = _expert(request, pk, "privacy.export_expert_data")
    sections = export.collect(expert.user, expert_only=True)
    _record_export(request.user, expert.user, "summary", sections)
    return render(
        request,
        "privacy/summary.html",
        {
            "sections": sections,
            "own": False,
            "expert": expert,
            "download_url": reverse("privacy:expert_data_download", args=[expert.pk]),
            "erase_url": reverse("privacy:erase_expert", args=[expert.pk]),
        },
    )


@require_safe
@never_cache
@login_required
def expert_data_download(request, pk):
    expert = _expert(request, pk, "privacy.export_expert_data")
    sections = export.collect(expert.user, expert_only=True)
    _record_export(request.user, expert.user, "json", sections)
    return _json_file(sections, expert.user, f"kokemustori-expert-{expert.pk}-data")


@never_cache
@login_required
def erase_expert(request, pk):
    expert = _expert(request, pk, "privacy.erase_expert")
    person = expert.user
    already = erasure.is_erased(person)
    reasons = [] if already else erasure.blockers(person, by_coordinator=True)
    form = CoordinatorErasureForm(_posted(request), user=person)
    if request.method == "POST" and not (already or reasons) and form.is_valid():
        try:
            erasure.erase(person, actor=request.user)
        except erasure.ErasureRefused as refused:
            reasons = refused.messages
        else:
            messages.success(
                request,
                _("The expert's data was erased. Their agreements and fee records are kept."),
            )
            return redirect("experts:review_list")
    return render(
        request,
        "privacy/erase.html",
        {
            "form": form,
            "reasons": reasons,
            "already": already,
            "kept": _kept(person),
            "own": False,
            "expert": expert,
        },
        status=409 if request.method == "POST" and (reasons or already) else 200,
    )
