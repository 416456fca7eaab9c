"""The order's state machine: the one place where an order changes state.

Every transition names who may take it (the orderer, a coordinator in charge, or the system
on behalf of an offer or agreement), whether it needs a reason, and records an OrderEvent
with actor, time and reason. Anything else is refused with a clear error.
"""

from dataclasses import dataclass

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.core.roles import coordinated_organisation_ids

from . import signals
from .completeness import missing_items
from .models import Order, OrderEvent, OrderState

S = OrderState
ORDERER, COORDINATOR, SYSTEM = "orderer", "coordinator", "system"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    actors: frozenset
    label: str  # the step as it stands on the timeline
    needs_reason: bool = False

    @property
    def button(self):
        """The step as a command, for its button."""
        return BUTTONS.get(self.name, self.label)


def _t(name, sources, target, actors, label, needs_reason=False):
    return Transition(name, frozenset(sources), target, frozenset(actors), label, needs_reason)


BUTTONS = {
    "submit": _("Send for review"),
    "ask_changes": _("Ask for changes"),
    "decline": _("Decline the order"),
    "accept": _("Accept for matching"),
    "rematch": _("Back to finding experts"),
    "complete": _("Mark the assignment done"),
    "debrief": _("Mark debriefed"),
    "close": _("Close the order"),
    "cancel": _("Cancel the order"),
}


# In the order of the buttons on the order's page: the step that moves the order on first, the
# ones that stop or send it back after it.
TRANSITIONS = {
    t.name: t
    for t in [
        _t("submit", [S.DRAFT, S.NEEDS_CHANGES], S.SUBMITTED, [ORDERER], _("Sent for review")),
        _t("accept", [S.SUBMITTED], S.MATCHING, [COORDINATOR], _("Accepted for matching")),
        _t(
            "ask_changes",
            [S.SUBMITTED, S.MATCHING],
            S.NEEDS_CHANGES,
            [COORDINATOR],
            _("Changes asked"),
            needs_reason=True,
        ),
        _t(
            "decline",
            [S.SUBMITTED, S.NEEDS_CHANGES],
            S.DECLINED,
            [COORDINATOR],
            _("Declined"),
            needs_reason=True,
        ),
        _t("offer", [S.MATCHING, S.OFFERED], S.OFFERED, [COORDINATOR], _("Offered to experts")),
        _t(
            "rematch",
            [S.OFFERED, S.AGREED],
            S.MATCHING,
            [COORDINATOR, SYSTEM],
            _("Back to finding experts"),
        ),
        _t("agree", [S.OFFERED], S.AGREED, [SYSTEM], _("All places agreed")),
        _t("complete", [S.AGREED], S.DONE, [ORDERER, COORDINATOR], _("Assignment done")),
        _t("debrief", [S.DONE], S.DEBRIEFED, [COORDINATOR, SYSTEM], _("Debrief recorded")),
        _t("close", [S.DEBRIEFED], S.CLOSED, [COORDINATOR], _("Closed")),
        _t(
            "cancel",
            [S.DRAFT, S.SUBMITTED, S.NEEDS_CHANGES, S.MATCHING, S.OFFERED, S.AGREED],
            S.CANCELLED,
            [ORDERER, COORDINATOR],
            _("Cancelled"),
            needs_reason=True,
        ),
    ]
}


class TransitionRefused(ValidationError):
    pass


class StateConflict(TransitionRefused):
    """The step exists, but not from the order's present state."""


class StepForbidden(TransitionRefused):
    """The step exists, but this person may not take it on this order."""


def roles_on(order: Order, user) -> set[str]:
    roles = set()
    if user is None or not user.is_authenticated:
        return roles
    if order.orderer.user_id == user.pk:
        roles.add(ORDERER)
    if order.is_in_charge(coordinated_organisation_ids(user)):
        roles.add(COORDINATOR)
    return roles


def available(order: Order, user) -> list[Transition]:
    """Transitions this user may take now (for showing buttons)."""
    roles = roles_on(order, user)
    return [
        t
        for t in TRANSITIONS.values()
        if order.state in t.sources
        and t.actors & roles
        and t.name not in ("offer", "agree")
        and (t.name != "submit" or rules.has_perm("orders.submit_order", user, order))
    ]


def transition(order: Order, name: str, *, actor=None, reason: str = "", system: bool = False):
    """Move the order along. Raises TransitionRefused with a clear message if not allowed."""
    step = TRANSITIONS.get(name)
    if step is None:
        raise TransitionRefused(_("Unknown step."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.state not in step.sources:
            raise StateConflict(
                _("This cannot be done when the order is %(state)s.")
                % {"state": locked.get_state_display()}
            )
        roles = roles_on(locked, actor) | ({SYSTEM} if system else set())
        if not step.actors & roles:
            raise StepForbidden(_("You may not take this step on this order."))
        reason = (reason or "").strip()
        if step.needs_reason and not reason:
            raise TransitionRefused({"reason": [_("Write a reason.")]})
        if name == "submit":
            if not rules.has_perm("orders.submit_order", actor, locked):
                message = _(
                    "Your orderer account is waiting for verification. You can send the "
                    "order once it has been verified."
                )
                raise TransitionRefused({"__all__": [message]})
            missing = missing_items(locked)
            if missing:
                raise TransitionRefused({field: [message] for field, message in missing})
            locked.submitted_at = timezone.now()
        event = OrderEvent.objects.create(
            order=locked,
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=name,
            from_state=locked.state,
            to_state=step.target,
            reason=reason,
        )
        locked.state = step.target
        locked.save(update_fields=["state", "submitted_at", "updated_at"])
        order.state = locked.state
        order.submitted_at = locked.submitted_at
        # Receivers: a cancelled order leaves no agreement pending and no offer open
        # (agreements), then its e-mails go to the outbox in this transaction (notifications).
        signals.order_transitioned.send(sender=Order, order=locked, event=event, actor=actor)
    return event


def note(order: Order, action: str, *, actor=None, reason: str = "", coordinators_only=False):
    """Record a dated step that does not change the state (e.g. planning meeting held)."""
    return OrderEvent.objects.create(
        order=order,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_state=order.state,
        to_state=order.state,
        reason=reason,
        coordinators_only=coordinators_only,
    )
