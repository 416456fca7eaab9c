"""Agreements and fee records for the fees tests.

`accepted_agreement()` walks the real path (order -> offer -> accept) and then marks the
agreement accepted by the orderer too. `quick_record()` builds the rows directly, for the
earnings tables where dozens of records are needed; the fee record itself is always made by
fees.services.create_for_agreement."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.fees import services as fee_services
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.tasktypes.models import FeeSchedule
from tests.factories import ExpertFactory, ExpertKind
from tests.factories.orders import OrderFactory, OrderState, offer_to, order_in_state

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def trained_expert(organisation, **kwargs):
    return ExpertFactory(organisation=organisation, kinds=[ExpertKind.TRAINED_EXPERT], **kwargs)


def accepted_agreement(
    *, coordinator=None, expert=None, fee_type=FeeType.WORK_COMPENSATION, accept=True, **order
):
    """An agreement made through offers.services.accept; accepted by both when `accept`."""
    order_obj, coordinator = order_in_state(OrderState.MATCHING, coordinator=coordinator, **order)
    expert = expert or trained_expert(coordinator.organisation)
    offer = offer_to(order_obj, expert, coordinator)
    agreement = offer_services.accept(expert.user, offer.pk, fee_type)
    if accept:
        agreement.state = AgreementState.ACCEPTED
        agreement.expert_accepted_at = agreement.orderer_accepted_at = timezone.now()
        agreement.save()
    return agreement, coordinator


def fee_record(**kwargs):
    agreement, coordinator = accepted_agreement(**kwargs)
    return fee_services.create_for_agreement(agreement), coordinator


def accepted_offer(expert, starts_at, fee=Decimal("100.00"), fee_type=FeeType.WAGE, **order):
    """An accepted offer (and a pending agreement) without a fee record."""
    order_obj = OrderFactory(
        organisation=expert.organisation,
        starts_at=starts_at,
        fee_amount=fee,
        state=OrderState.AGREED,
        **order,
    )
    offer = Offer.objects.create(
        order=order_obj,
        expert=expert,
        state=OfferState.ACCEPTED,
        fee_type=fee_type,
        expires_at=starts_at,
        responded_at=timezone.now(),
    )
    agreement = Agreement.objects.create(
        offer=offer,
        order=order_obj,
        expert=expert,
        tasks=order_obj.title,
        starts_at=starts_at,
        fee_amount=Decimal("0") if fee_type == FeeType.DECLINED else fee,
        fee_type=fee_type,
        cancellation_terms="-",
        orderer_contact="-",
        expert_legal_name=expert.legal_name,
        expert_public_name=expert.display_name,
    )
    return offer, agreement


def quick_record(expert, starts_at, fee=Decimal("100.00"), fee_type=FeeType.WAGE, **order):
    """A fee record made by create_for_agreement from a directly built accepted agreement."""
    _, agreement = accepted_offer(expert, starts_at, fee, fee_type, **order)
    agreement.state = AgreementState.ACCEPTED
    agreement.save(update_fields=["state"])
    return fee_services.create_for_agreement(agreement)


def schedule_row(*, valid_from=date(2020, 1, 1), **fields):
    """A fee schedule row, in force since 2020 unless told otherwise."""
    return FeeSchedule.objects.create(valid_from=valid_from, **fields)
