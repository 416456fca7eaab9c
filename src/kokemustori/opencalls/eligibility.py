"""Who may see and answer an open call: exactly who may be offered its order, as matching
decides it (`matching.candidates.prefiltered`, used as it is: on a break, the order's topic
marked *not now*, not approved, no eligible kind, another organisation, own monthly limit
used up, the order's requirements not met, already offered: never shown the call)."""

from django.db.models import Q
from django.utils import timezone

from kokemustori.experts.models import Expert, ExpertStatus
from kokemustori.matching.candidates import order_facts, prefiltered, windows

from .models import CallState, OpenCall


def eligible_experts(order, *, now=None):
    """The queryset of experts who may be offered `order` now."""
    now = now or timezone.now()
    return prefiltered(order, order_facts(order), windows(order, now))


def may_answer(call: OpenCall, expert: Expert, *, now=None) -> bool:
    return (
        call.answerable(now) and eligible_experts(call.order, now=now).filter(pk=expert.pk).exists()
    )


def calls_for(expert: Expert, *, now=None) -> list[OpenCall]:
    """The open calls this expert may answer now, soonest deadline first. One query for the
    calls, then one per call (few at a time) for matching's rules."""
    now = now or timezone.now()
    if expert.status != ExpertStatus.ACTIVE or expert.on_break:
        return []  # matching would say so for each call: no need to ask it
    calls = (
        OpenCall.objects.filter(state=CallState.OPEN, answer_by__gt=now)
        .filter(Q(order__organisation__isnull=True) | Q(order__organisation=expert.organisation_id))
        .select_related("order__task_type", "order__language", "order__region", "order__topic")
        .order_by("answer_by", "pk")
    )
    return [call for call in calls if may_answer(call, expert, now=now)]
