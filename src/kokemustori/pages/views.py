from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

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
from kokemustori.tasktypes.eligibility import PERMITTED_NATURES, TaskNature
from kokemustori.tasktypes.models import TaskType

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
