"""Agreements: written when an expert accepts an offer; accepted by both parties."""

from django.utils.translation import gettext as _
from django.utils.translation import override

from kokemustori.offers.models import FeeType

from .models import DEFAULT_CANCELLATION_TERMS, Agreement


def _place(order) -> str:
    if order.is_remote:
        return order.location or _("Remote")
    return order.location


def create_for_offer(offer) -> Agreement:
    """Snapshot the order's terms for this expert. Texts are stored in Finnish, the language
    of record; each reader sees the labels in their own language."""
    order = offer.order
    expert = offer.expert
    orderer = order.orderer
    coordinators = [
        f"{c.user.get_full_name()} <{c.user.email}>"
        for c in expert.organisation.coordinators.filter(is_active=True).select_related("user")
    ]
    with override("fi"):
        tasks = "\n\n".join(
            part
            for part in (
                f"{order.task_type.name}: {order.title}" if order.task_type_id else order.title,
                order.expectations,
                order.topic_delimitation,
                order.working_group,
            )
            if part
        )
        fee = order.fee_amount if order.fee_amount is not None else 0
        if offer.fee_type == FeeType.DECLINED:
            fee = 0
        return Agreement.objects.create(
            offer=offer,
            order=order,
            expert=expert,
            tasks=tasks,
            starts_at=order.starts_at,
            ends_at=order.ends_at,
            place=_place(order),
            planning_meeting_at=order.planning_meeting_at if order.planning_meeting else None,
            debrief_at=order.debrief_at,
            debrief_by=order.debrief_by,
            fee_amount=fee,
            fee_type=offer.fee_type,
            expenses=order.travel_costs,
            confidentiality=order.confidentiality_scope if order.confidentiality else "",
            cancellation_terms=str(DEFAULT_CANCELLATION_TERMS),
            orderer_contact="\n".join(
                x
                for x in (
                    order.contact_name or orderer.user.get_full_name(),
                    orderer.organisation_name,
                    order.contact_phone or orderer.phone,
                    order.contact_email or orderer.user.email,
                )
                if x
            ),
            coordinator_contact="\n".join(coordinators),
            expert_legal_name=expert.legal_name,
            expert_public_name=expert.display_name,
            expert_contact="\n".join(x for x in (expert.user.email, expert.phone) if x),
        )
