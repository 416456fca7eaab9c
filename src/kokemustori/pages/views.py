from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kokemustori.core.roles import (
    coordinated_organisation_ids,
    coordinated_organisations,
    expert_of,
    orderer_of,
)
from kokemustori.experts.models import Expert, ExpertStatus, KindApplication
from kokemustori.followup.models import Debrief
from kokemustori.kinds import TRAINING_REQUIREMENTS, ExpertKind
from kokemustori.offers.models import OfferState
from kokemustori.orderers import verification
from kokemustori.orders.fees import published_rows
from kokemustori.orders.models import Order, OrderState
from kokemustori.organisations.models import Organisation
from kokemustori.reports.models import is_network_administrator
from kokemustori.tasktypes.eligibility import PERMITTED_NATURES, TaskNature
from kokemustori.tasktypes.models import TaskType

from . import accessibility
from .forms import AccessibilityFeedbackForm
from .models import ANSWER_DAYS
from .waiting import waiting_for


def home(request):
    return render(
        request,
        "pages/home.html",
        {"organisation_count": Organisation.objects.filter(is_active=True).count()},
    )


def about(request):
    return render(request, "pages/about.html")


def kinds_overview():
    """The four kinds with what each may do and what training each needs, straight from the
    rule modules so the public page can never disagree with what the product enforces."""
    task_types = list(TaskType.objects.filter(is_active=True))
    overview = []
    for kind in ExpertKind:
        overview.append(
            {
                "kind": kind,
                "requirement": TRAINING_REQUIREMENTS[kind],
                "natures": [
                    TaskNature(n).label for n in TaskNature if n in PERMITTED_NATURES[kind]
                ],
                "task_types": [t.name for t in task_types if kind.value in t.allowed_kinds],
            }
        )
    return overview


def kinds(request):
    return render(request, "pages/kinds.html", {"kinds": kinds_overview()})


def ordering(request):
    """How to order, with the public fee schedules (all, or one task type's)."""
    task_types = list(TaskType.objects.filter(is_active=True))
    chosen = next((t for t in task_types if t.slug == request.GET.get("task_type")), None)
    return render(
        request,
        "pages/ordering.html",
        {
            "task_types": task_types,
            "chosen": chosen,
            "fee_rows": published_rows(chosen.pk if chosen else None),
        },
    )


def joining(request):
    return render(
        request,
        "pages/joining.html",
        {"organisations": Organisation.objects.filter(is_active=True, accepts_applications=True)},
    )


def privacy(request):
    return render(request, "pages/privacy.html")


@require_http_methods(["GET", "POST"])
def accessibility_statement(request):
    """The accessibility statement, with its feedback form (anyone may send feedback)."""
    form = AccessibilityFeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        # Bounded per address (ACCOUNT_RATE_LIMITS, in the shared cache), so the form cannot
        # flood the administrators' mailboxes.
        if not ratelimit.consume(request, action="accessibility_feedback"):
            form.add_error(None, _("Too many messages were sent from here. Try again in an hour."))
            status = 429
        else:
            accessibility.receive(
                message=form.cleaned_data["message"],
                reply_email=form.cleaned_data["reply_email"],
                language=get_language(),
            )
            messages.success(
                request,
                _(
                    "Thank you for your feedback. If you gave an e-mail address, you will get "
                    "an answer within %(days)s days."
                )
                % {"days": ANSWER_DAYS},
            )
            return redirect(reverse("pages:accessibility") + "#feedback")
    return render(
        request,
        "pages/accessibility.html",
        {
            "form": form,
            "last_checked": accessibility.last_checked(),
            "answer_days": ANSWER_DAYS,
            "supervisor_url": accessibility.SUPERVISOR_URL,
        },
        status=status,
    )


@login_required
def dashboard(request):
    user = request.user
    context = {"expert": expert_of(user), "orderer": orderer_of(user)}
    organisations = coordinated_organisations(user)
    if organisations.exists():
        experts = Expert.objects.of_organisations(organisations)
        context["coordination"] = {
            "organisations": organisations,
            "waiting": experts.filter(kind_applications__status=KindApplication.APPLIED)
            .exclude(status=ExpertStatus.DRAFT)
            .distinct()
            .count(),
            "active": experts.filter(status=ExpertStatus.ACTIVE).count(),
            "on_break": experts.filter(status=ExpertStatus.ACTIVE, on_break=True).count(),
            "orders_waiting": Order.objects.in_charge_of(organisations)
            .filter(state=OrderState.SUBMITTED)
            .count(),
            "support_waiting": Debrief.objects.filter(
                expert__organisation__in=organisations,
                wants_support=True,
                support_handled_at__isnull=True,
            ).count(),
            "orderers_waiting": verification.waiting().count(),
        }
    if context["expert"]:
        context["open_offers"] = (
            context["expert"]
            .offers.filter(state=OfferState.OPEN, expires_at__gt=timezone.now())
            .count()
        )
    context["network_reports"] = not organisations.exists() and is_network_administrator(user)
    now = timezone.now()
    context["now"] = now
    context["waiting"] = waiting_for(
        user,
        expert=context["expert"],
        orderer=context["orderer"],
        organisation_ids=coordinated_organisation_ids(user),
        now=now,
    )
    return render(request, "pages/dashboard.html", context)
