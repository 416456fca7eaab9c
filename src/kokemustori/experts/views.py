import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kokemustori.audit.log import record
from kokemustori.audit.models import Action
from kokemustori.core.forms import REASON_LIMIT, ReasonForm
from kokemustori.core.permissions import require
from kokemustori.core.roles import coordinated_organisations, expert_of
from kokemustori.kinds import TRAINING_REQUIREMENTS, ExpertKind, grant_refusal_reason

from . import registry
from .catalogue import CatalogueFilter, catalogue_queryset
from .forms import (
    ApplicationForm,
    ApplyForKindForm,
    ExpertProfileForm,
    TrainingFormSet,
    check_trainings_for_kinds,
)
from .models import Expert, ExpertStatus, KindApplication, TrainingRecord
from .public import PUBLIC_PREFETCH, public_profile, public_profiles


def _kept_trainings(formset):
    return [
        form.instance
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@login_required
def apply(request):
    """The joining form (Tule mukaan): saved as a draft at any time, sent when complete."""
    expert = expert_of(request.user)
    if expert and expert.status not in (ExpertStatus.DRAFT,):
        return redirect("experts:me")
    instance = expert or Expert(user=request.user)
    submitting = "submit" in request.POST
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, instance=instance, user=request.user, submitting=submitting)
    formset = TrainingFormSet(data, instance=instance, prefix="training")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kinds = form.cleaned_data["kinds"]
        if submitting:
            for kind, problem in check_trainings_for_kinds(kinds, _kept_trainings(formset)).items():
                form.add_error("kinds", f"{ExpertKind(kind).label}: {problem}")
        if not form.errors:
            with transaction.atomic():
                expert = form.save()
                formset.instance = expert
                formset.save()
                registry.set_drafted_kinds(expert, kinds)
                if submitting:
                    registry.submit_application(expert, kinds)
            if submitting:
                messages.success(
                    request,
                    _("Thank you! Your application was sent. A coordinator will contact you."),
                )
                return redirect("experts:me")
            messages.success(request, _("Your draft was saved. You can continue later."))
            return redirect("experts:apply")
    if request.method == "POST":
        messages.error(request, _("Please check the fields marked below."))
    return render(
        request,
        "experts/apply.html",
        {
            "form": form,
            "formset": formset,
            "requirements": TRAINING_REQUIREMENTS,
        },
    )


@login_required
def me(request):
    """The expert's own page: status, kinds held and why, trainings, break, public profile."""
    expert = expert_of(request.user)
    if expert is None:
        return redirect("experts:apply")
    if expert.status == ExpertStatus.DRAFT:
        return redirect("experts:apply")
    # The public profile reads its own two queries (public_profiles); the page itself lists
    # only the kinds, trainings and qualifications.
    expert = (
        Expert.objects.select_related("organisation", "user")
        .prefetch_related("kind_applications", "trainings", "qualifications")
        .get(pk=expert.pk)
    )
    return render(
        request,
        "experts/me.html",
        {
            "expert": expert,
            "applications": expert.kind_applications.all(),
            "trainings": expert.trainings.all(),
            "public": public_profile(expert),
            "apply_form": ApplyForKindForm(open_kinds=registry.kinds_open_to(expert)),
            "waiting_for_decision": any(
                a.status == KindApplication.APPLIED for a in expert.kind_applications.all()
            ),
            "reviewers": registry.reviewers_of(expert),
            "typical_days": registry.typical_review_days(expert.organisation),
        },
    )


@login_required
def edit_profile(request):
    expert = expert_of(request.user)
    if expert is None or expert.status == ExpertStatus.DRAFT:
        return redirect("experts:apply")
    require(request.user, "experts.edit_profile", expert)
    data = request.POST if request.method == "POST" else None
    form = ExpertProfileForm(data, instance=expert, user=request.user)
    formset = TrainingFormSet(data, instance=expert, prefix="training")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                form.save()
                formset.save()
            messages.success(request, _("Your profile was saved."))
            return redirect("experts:me")
        messages.error(request, _("Please check the fields marked below."))
    return render(request, "experts/edit.html", {"form": form, "formset": formset})


@login_required
@require_POST
def toggle_break(request):
    expert = expert_of(request.user)
    if expert is None:
        return redirect("experts:apply")
    if request.POST.get("break") == "start":
        registry.start_break(expert, request.user)
        messages.success(request, _("Your break has started. You will get no offers."))
    else:
        registry.end_break(expert, request.user)
        messages.success(request, _("Welcome back! Your break has ended."))
    return redirect("experts:me")


@login_required
@require_POST
def apply_for_kind(request):
    expert = expert_of(request.user)
    if expert is None or expert.status == ExpertStatus.DRAFT:
        return redirect("experts:apply")
    form = ApplyForKindForm(request.POST, open_kinds=registry.kinds_open_to(expert))
    if form.is_valid():
        try:
            registry.apply_for_kind(expert, form.cleaned_data["kind"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Your application was sent. Add the training it needs on your profile."),
            )
    else:
        messages.error(request, _("Choose a kind of expert."))
    return redirect("experts:me")


# Coordinators ----------------------------------------------------------------------------


@login_required
def review_list(request):
    require(request.user, "experts.coordinate")
    organisations = coordinated_organisations(request.user)
    experts = (
        Expert.objects.of_organisations(organisations)
        .exclude(status=ExpertStatus.DRAFT)
        .select_related("user", "organisation")
        .annotate(
            waiting=Count(
                "kind_applications",
                filter=Q(kind_applications__status=KindApplication.APPLIED),
            )
        )
    )
    show = request.GET.get("show", "waiting")
    if show == "waiting":
        experts = experts.filter(waiting__gt=0).order_by("submitted_at")
    else:
        experts = experts.order_by("user__last_name", "user__first_name")
        query = request.GET.get("q", "").strip()[:100]
        if "\x00" in query:
            # No stored text holds a NUL, and PostgreSQL refuses one even in a search.
            messages.error(request, f"{_('Search')}: {ProhibitNullCharactersValidator.message}")
            experts = experts.none()
        elif query:
            experts = experts.filter(
                Q(user__first_name__icontains=query)
                | Q(user__last_name__icontains=query)
                | Q(pseudonym__icontains=query)
                | Q(user__email__icontains=query)
            )
    page = Paginator(experts, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "experts/review_list.html",
        {"page": page, "show": show, "q": request.GET.get("q", "")},
    )


def _reviewable_expert(request, pk):
    # A draft has not been sent and carries no consent yet: it is not the coordinators' to read.
    expert = get_object_or_404(
        Expert.objects.exclude(status=ExpertStatus.DRAFT)
        .select_related("user", "organisation")
        .prefetch_related(*PUBLIC_PREFETCH, "trainings"),
        pk=pk,
    )
    require(request.user, "experts.review_expert", expert, hide=True)
    return expert


@login_required
def review_detail(request, pk):
    return _review_page(request, _reviewable_expert(request, pk))


def _review_page(request, expert, refused=None):
    """The full profile with its decision forms. After a refused decision (`refused`: which
    form, what was typed, why) the page is drawn again with the typed text and the reason
    beside that form, so nothing the coordinator wrote is lost."""
    record(request.user, Action.PROFILE_VIEWED, expert=expert)
    verified = registry.verified_for_grant(expert)
    applications = [
        (application, grant_refusal_reason(application.kind, verified))
        for application in expert.kind_applications.all()
    ]
    return render(
        request,
        "experts/review_detail.html",
        {
            "expert": expert,
            "applications": applications,
            "trainings": expert.trainings.all(),
            "public": public_profile(expert),
            "reason_limit": REASON_LIMIT,
            "refused": refused,
        },
        status=400 if refused else 200,
    )


def _decide(request, expert, form_kind: str, pk: int, decide):
    """Run one decision with the typed reason; refused (an invalid reason or a rule) it
    changes nothing and the page comes back with what was typed."""
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            success = decide(form.cleaned_data["reason"])
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, success)
            return redirect("experts:review_detail", pk=expert.pk)
    else:
        errors = form.errors["reason"]
    messages.error(request, _("Nothing was changed. See the note by the form."))
    typed = request.POST.get("reason", "").replace("\x00", "")
    refused = {"form": form_kind, "pk": pk, "text": typed, "errors": errors}
    return _review_page(request, expert, refused)


@login_required
@require_POST
def review_training(request, pk, training_pk):
    expert = _reviewable_expert(request, pk)
    training = get_object_or_404(TrainingRecord, pk=training_pk, expert=expert)

    def decide(note):
        if request.POST.get("decision") == "verify":
            registry.verify_training(request.user, training, note)
            return _("The training was marked verified.")
        registry.reject_training(request.user, training, note)
        return _("The training was marked not verified.")

    return _decide(request, expert, "training", training.pk, decide)


@login_required
@require_POST
def decide_kind(request, pk, application_pk):
    expert = _reviewable_expert(request, pk)
    application = get_object_or_404(KindApplication, pk=application_pk, expert=expert)
    kind = application.get_kind_display()

    def decide(reason):
        if request.POST.get("decision") == "grant":
            registry.grant_kind(request.user, application, reason)
            return _("Granted: %(kind)s.") % {"kind": kind}
        registry.refuse_kind(request.user, application, reason)
        return _("Refused: %(kind)s.") % {"kind": kind}

    return _decide(request, expert, "kind", application.pk, decide)


# Catalogue -------------------------------------------------------------------------------


@login_required
def catalogue(request):
    require(request.user, "experts.browse_catalogue")
    # Always bound: with no filters chosen the form is valid and every listed expert shows.
    filterset = CatalogueFilter(request.GET, queryset=catalogue_queryset())
    experts = filterset.qs if filterset.is_valid() else catalogue_queryset().none()
    page = Paginator(experts, 20).get_page(request.GET.get("page"))
    profiles = public_profiles(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "profiles": profiles,
        "query": query.urlencode(),
    }
    template = "experts/_catalogue_results.html" if request.htmx else "experts/catalogue.html"
    return render(request, template, context)


@login_required
def public_detail(request, pk):
    expert = get_object_or_404(catalogue_queryset(), pk=pk)
    require(request.user, "experts.view_public_profile", expert, hide=True)
    context = {
        "profile": public_profiles([expert])[0],
        "can_order": rules.has_perm("orders.create_order", request.user),
    }
    return render(request, "experts/public_detail.html", context)
