"""Who took part in an order: the fact that debrief and feedback rules (rules.py) and
services (services.py) both build on."""

from dataclasses import dataclass
from functools import cached_property

from kokemustori.agreements.models import AgreementState
from kokemustori.experts.models import Expert
from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import Order


def participating_experts(order: Order):
    """Experts who took part: an accepted offer whose agreement was not cancelled."""
    offers = Offer.objects.filter(order=order, state=OfferState.ACCEPTED).exclude(
        agreement__state=AgreementState.CANCELLED
    )
    return Expert.objects.filter(pk__in=offers.values("expert_id"))


def took_part(order: Order, expert: Expert) -> bool:
    return participating_experts(order).filter(pk=expert.pk).exists()


@dataclass(eq=False)
class Participation:
    """One expert's part in one order: the object that debrief and feedback rules judge."""

    order: object
    expert: object

    @cached_property
    def took_part(self) -> bool:
        return took_part(self.order, self.expert)
