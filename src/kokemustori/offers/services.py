"""Offers: sending, answering, expiring. Seats are taken with one conditional UPDATE, so the
first acceptances win and no place is ever double-booked, on PostgreSQL or SQLite."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kokemustori.experts.models import Expert, KindApplication
from kokemustori.orders import workflow
from kokemustori.orders.fees import quote
from kokemustori.orders.models import Order, OrderState
from kokemustori.requirements.checks import unmet_by_expert
from kokemustori.tasktypes.eligibility import eligible_kinds

from . import signals
from .models import FeeType, Offer, OfferState

DEFAULT_ANSWER_DAYS = 5
PLACES_FILLED = gettext_lazy(
    "Thank you, but all places on this assignment have already been filled."
)


def default_expiry(order: Order):
    """Give the expert a few days, but never past the day before the assignment."""
    expires = timezone.now() + timedelta(days=DEFAULT_ANSWER_DAYS)
    if order.starts_at:
        expires = min(expires, order.starts_at - timedelta(days=1))
    return max(expires, timezone.now() + timedelta(hours=12))


@transaction.atomic
def send_offers(order: Order, experts, *, actor, message="", expires_at=None, reasons=None):
    """Offer the order to these experts (eligibility is checked by matching beforehand)."""
    if order.state not in (OrderState.MATCHING, OrderState.OFFERED):
        raise ValidationError(_("Offers can be sent only while experts are being found."))
    expires_at = expires_at or default_expiry(order)
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": [_("The answer deadline must be in the future.")]})
    reasons = reasons or {}
    _refuse_unless_still_eligible(order, experts)
    fees = _fees_or_refuse(order, experts)
    created = []
    for expert in experts:
        fee = fees[expert.pk]
        offer, is_new = Offer.objects.get_or_create(
            order=order,
            expert=expert,
            defaults={
                "message": message,
                "sent_by": actor,
                "expires_at": expires_at,
                "match_reasons": reasons.get(expert.pk, ""),
                "fee_amount": fee.amount,
                "fee_basis": fee.basis,
                "fee_rate": fee.rate,
                "fee_hours": fee.hours,
            },
        )
        if is_new:
            created.append(offer)
    if not created:
        raise ValidationError(_("Those experts already have an offer for this order."))
    workflow.transition(order, "offer", actor=actor)
    signals.offers_sent.send(sender=Offer, offers=created)  # e-mails, in this transaction
    return created


def _fees_or_refuse(order: Order, experts) -> dict:
    """Each expert's fee in euros, from the order or their organisation's fee schedule. An
    expert whose fee is not known is never offered the order: no offer says "0 €" by accident."""
    fees = {expert.pk: quote(order, expert.organisation) for expert in experts}
    unknown = [expert for expert in experts if fees[expert.pk] is None]
    if unknown:
        raise ValidationError(
            _(
                "%(names)s cannot be offered this order: their organisation's fee schedule has "
                "no fee for this task type on the date of the assignment. Add the fee to the "
                "schedule first, or ask the orderer to offer a fee."
            )
            % {"names": ", ".join(expert.display_name for expert in unknown)}
        )
    return fees


def _refuse_unless_still_eligible(order: Order, experts) -> None:
    """Matching checked eligibility when the coordinator's page was drawn; an expert may have
    started a break or lost a kind since. Lock their rows and check again, so a break that
    lands now waits for this offer or prevents it."""
    kinds = eligible_kinds(order.task_type, order.audience or None) if order.task_type_id else []
    wanted = {expert.pk for expert in experts}
    granted = KindApplication.objects.filter(
        expert_id=OuterRef("pk"), status=KindApplication.GRANTED, kind__in=kinds
    )
    still = set(
        Expert.objects.select_for_update()
        .available()
        .filter(Exists(granted), pk__in=wanted)
        .values_list("pk", flat=True)
    )
    gone = [expert for expert in experts if expert.pk not in still]
    if gone:
        raise ValidationError(
            _(
                "%(names)s can no longer be offered this order: they are on a break, not "
                "approved or no longer hold a kind this task needs. Choose again."
            )
            % {"names": ", ".join(expert.display_name for expert in gone)}
        )
    unmet = unmet_by_expert(order, wanted)
    if unmet:
        raise ValidationError(
            _("%(names)s do not meet the requirements of this order. Choose again.")
            % {"names": ", ".join(e.display_name for e in experts if e.pk in unmet)}
        )


def _lock_order_of(offer_id) -> None:
    """Answers to one order are serialised on the order row, always locked before any offer
    row: the winner withdraws the other offers, so locking offers first would deadlock."""
    order_id = Offer.objects.filter(pk=offer_id).values_list("order_id", flat=True).first()
    if order_id is None:
        raise PermissionDenied
    Order.objects.select_for_update().filter(pk=order_id).values_list("pk").first()


def _open_offer_for(user, offer_id) -> Offer:
    _lock_order_of(offer_id)
    offer = Offer.objects.select_for_update().select_related("order", "expert").get(pk=offer_id)
    if offer.expert.user_id != user.pk:
        raise PermissionDenied
    if (
        offer.state == OfferState.WITHDRAWN
        and offer.order.seats_taken >= offer.order.experts_needed
    ):
        # Another expert took the last place a moment earlier: say so, not "withdrawn".
        raise ValidationError(PLACES_FILLED)
    if offer.state != OfferState.OPEN:
        raise ValidationError(
            _("This offer is already %(state)s.") % {"state": offer.get_state_display()}
        )
    return offer


def _expire_if_overdue(offer_id: int) -> None:
    """Outside the answering transaction, so the expiry sticks even though the answer fails."""
    Offer.objects.filter(pk=offer_id, state=OfferState.OPEN, expires_at__lte=timezone.now()).update(
        state=OfferState.EXPIRED
    )


def take_seat(order_id: int) -> bool:
    """Atomically take one free place on the order. False when all places are taken."""
    return bool(
        Order.objects.filter(pk=order_id, seats_taken__lt=F("experts_needed")).update(
            seats_taken=F("seats_taken") + 1
        )
    )


def release_seat(order_id: int) -> None:
    Order.objects.filter(pk=order_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)


def accept(user, offer_id: int, fee_type: str):
    """The expert accepts. Creates the agreement; when all places are filled the order is
    agreed and the remaining open offers are withdrawn."""
    if fee_type not in FeeType.values:
        raise ValidationError({"fee_type": [_("Choose how you want to receive the fee.")]})
    _expire_if_overdue(offer_id)
    with transaction.atomic():
        offer = _open_offer_for(user, offer_id)
        if not take_seat(offer.order_id):
            raise ValidationError(PLACES_FILLED)
        offer.state = OfferState.ACCEPTED
        offer.fee_type = fee_type
        offer.responded_at = timezone.now()
        offer.save(update_fields=["state", "fee_type", "responded_at"])
        # Receivers: the agreement is made (agreements), then the orderer, the expert and the
        # coordinators are e-mailed through the outbox (notifications).
        signals.offer_accepted.send(sender=Offer, offer=offer)
        order = Order.objects.get(pk=offer.order_id)
        if order.seats_taken >= order.experts_needed and order.state == OrderState.OFFERED:
            workflow.transition(order, "agree", system=True, actor=user)
            for other in order.offers.filter(state=OfferState.OPEN):
                other.state = OfferState.WITHDRAWN
                other.responded_at = timezone.now()
                other.save(update_fields=["state", "responded_at"])
    return offer.agreement  # made by the agreements app on offer_accepted


def decline(user, offer_id: int) -> Offer:
    """The expert declines; no reason is asked."""
    _expire_if_overdue(offer_id)
    with transaction.atomic():
        offer = _open_offer_for(user, offer_id)
        offer.state = OfferState.DECLINED
        offer.responded_at = timezone.now()
        offer.save(update_fields=["state", "responded_at"])
        _back_to_matching_if_no_open_offers(offer.order, user)
    return offer


def withdraw(actor, offer: Offer) -> Offer:
    with transaction.atomic():
        _lock_order_of(offer.pk)
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.state != OfferState.OPEN:
            raise ValidationError(_("Only an open offer can be withdrawn."))
        offer.state = OfferState.WITHDRAWN
        offer.responded_at = timezone.now()
        offer.save(update_fields=["state", "responded_at"])
        _back_to_matching_if_no_open_offers(offer.order, actor)
    return offer


def _back_to_matching_if_no_open_offers(order, actor):
    order.refresh_from_db()
    if (
        order.state == OrderState.OFFERED
        and not order.offers.filter(state=OfferState.OPEN).exists()
        and order.seats_taken < order.experts_needed
    ):
        workflow.transition(order, "rematch", system=True, actor=actor)


def expire_overdue_offers(now=None) -> int:
    """Mark open offers past their deadline expired (run periodically). Returns the count."""
    now = now or timezone.now()
    count = 0
    for offer in Offer.objects.filter(state=OfferState.OPEN, expires_at__lte=now).select_related(
        "order"
    ):
        with transaction.atomic():
            updated = Offer.objects.filter(pk=offer.pk, state=OfferState.OPEN).update(
                state=OfferState.EXPIRED
            )
            if updated:
                count += 1
                _back_to_matching_if_no_open_offers(offer.order, None)
    return count
