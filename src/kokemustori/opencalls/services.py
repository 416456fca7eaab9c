"""Publishing an open call, answering it, offering it to the chosen experts, closing it.

The order's state changes only through the order's state machine: offers sent from a call go
through `offers.services.send_offers` (which takes the order to "offered"); publishing and
closing a call change the call, not the order.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kokemustori.experts.models import Expert
from kokemustori.matching.candidates import match, ranked_among
from kokemustori.offers.models import Offer
from kokemustori.offers.services import send_offers
from kokemustori.orders.models import Order, OrderState

from . import signals
from .eligibility import eligible_experts, may_answer
from .models import CallState, Interest, OpenCall

PUBLISHABLE = (OrderState.MATCHING, OrderState.OFFERED)
DEFAULT_DAYS = 7


def default_answer_by(order: Order):
    """A week, but never past two days before the assignment, and at least a day."""
    now = timezone.now()
    answer_by = now + timedelta(days=DEFAULT_DAYS)
    if order.starts_at:
        answer_by = min(answer_by, order.starts_at - timedelta(days=2))
    return max(answer_by, now + timedelta(days=1))


@transaction.atomic
def publish(order: Order, *, actor, answer_by, message: str = "") -> OpenCall:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.state not in PUBLISHABLE:
        raise ValidationError(
            _("An open call can be published only for an order accepted for matching.")
        )
    now = timezone.now()
    if answer_by <= now:
        raise ValidationError({"answer_by": [_("The answer date must be in the future.")]})
    if order.starts_at and answer_by >= order.starts_at:
        raise ValidationError(
            {"answer_by": [_("The answer date must be before the assignment starts.")]}
        )
    call = OpenCall.objects.filter(order=order).first()
    if call is not None and call.is_open:
        raise ValidationError(_("This order already has an open call."))
    if call is None:
        call = OpenCall(order=order)
    else:
        call.interests.all().delete()  # a new round: earlier answers were told it closed
    call.state = CallState.OPEN
    call.message = message
    call.answer_by = answer_by
    call.published_by = actor
    call.published_at = now
    call.closed_at = None
    call.save()
    expert_ids = list(eligible_experts(order, now=now).values_list("pk", flat=True))
    signals.call_published.send(sender=OpenCall, call=call, expert_ids=expert_ids)
    return call


@transaction.atomic
def express_interest(call: OpenCall, expert: Expert, note: str = "") -> Interest:
    if not may_answer(call, expert):
        raise ValidationError(_("This open call can no longer be answered."))
    interest, _created = Interest.objects.update_or_create(
        call=call, expert=expert, defaults={"note": note.strip()}
    )
    return interest


def withdraw_interest(call: OpenCall, expert: Expert) -> bool:
    """The expert takes back their interest (while the call is open). True if there was one."""
    if not call.is_open:
        raise ValidationError(_("This open call has closed."))
    deleted, _rows = Interest.objects.filter(call=call, expert=expert).delete()
    return bool(deleted)


def interested(call: OpenCall, *, viewer):
    """(ranked, interest) for each interested expert who may be offered the order, best first,
    with matching's reasons; and the interests of those who no longer may be."""
    result = match(call.order, viewer=viewer, limit=1)
    interests = {i.expert_id: i for i in call.interests.select_related("expert__user")}
    # Only the interested experts are ranked: best first, as matching would list them.
    may = ranked_among(call.order, interests, viewer=viewer)
    ranked = [(r, interests[pk]) for pk, r in may.items()]
    gone = [i for pk, i in interests.items() if pk not in may]
    return result, ranked, gone


@transaction.atomic
def offer_to_chosen(call: OpenCall, expert_ids, *, actor, message="", expires_at=None):
    """Offer the order to the chosen interested experts through the offers flow."""
    if not call.is_open:
        raise ValidationError(_("This open call has closed."))
    chosen = {int(pk) for pk in expert_ids}
    if not chosen:
        raise ValidationError({"experts": [_("Choose at least one expert.")]})
    may = ranked_among(call.order, call.interests.values_list("expert_id", flat=True), viewer=actor)
    allowed = set(may)
    if not chosen <= allowed:
        raise ValidationError(
            {"experts": [_("Some of the chosen experts can no longer be offered this order.")]}
        )
    experts = list(Expert.objects.filter(pk__in=chosen).select_related("organisation", "user"))
    return send_offers(
        call.order,
        experts,
        actor=actor,
        message=message,
        expires_at=expires_at,
        reasons={pk: may[pk].summary() for pk in chosen},
    )


@transaction.atomic
def close(call: OpenCall, *, actor=None) -> list[int]:
    """Close the call; the interested experts who got no offer are told kindly. Returns their
    ids."""
    call = OpenCall.objects.select_for_update().get(pk=call.pk)
    if not call.is_open:
        return []
    call.state = CallState.CLOSED
    call.closed_at = timezone.now()
    call.save(update_fields=["state", "closed_at"])
    offered = Offer.objects.filter(order_id=call.order_id).values("expert_id")
    not_chosen = list(
        call.interests.exclude(expert_id__in=offered).values_list("expert_id", flat=True)
    )
    signals.call_closed.send(sender=OpenCall, call=call, expert_ids=not_chosen)
    return not_chosen
