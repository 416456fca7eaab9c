"""After the assignment: the planning meeting record, debriefs, feedback both ways, support.

Every function takes the acting user and checks the rules itself (followup/rules.py), so a view
that forgets a check still cannot record what the user is not entitled to. Order states change
only through orders.workflow.
"""

from datetime import timedelta

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.core.roles import coordinated_organisation_ids
from kokemustori.experts.models import Expert
from kokemustori.orders import workflow
from kokemustori.orders.models import Order, OrderState

from . import signals
from .models import Debrief, Feedback
from .participation import Participation, participating_experts

S = OrderState

# A planning meeting belongs between the order's acceptance and the assignment; it may also be
# recorded afterwards, until the debrief closes that part of the path.
PLANNING_STATES = frozenset({S.MATCHING, S.OFFERED, S.AGREED, S.DONE})
# Debriefs and feedback come after the assignment.
AFTER_DONE_STATES = frozenset({S.DONE, S.DEBRIEFED, S.CLOSED})

SCORE_RANGE = range(1, 6)
ORDERER_SCORES = ("overall",)
EXPERT_SCORES = ("expectations_clear", "time_respected", "treated_as_equal")
SCORES_BY_DIRECTION = {
    Feedback.ORDERER_ON_ASSIGNMENT: ORDERER_SCORES,
    Feedback.EXPERT_ON_ORDERER: EXPERT_SCORES,
}

# Timeline notes written here (orders.timeline can show these labels).
NOTE_PLANNING = "planning_meeting"
NOTE_DEBRIEF = "debrief_held"
NOTE_LABELS = {
    NOTE_PLANNING: _("Planning meeting recorded"),
    NOTE_DEBRIEF: _("Debrief held"),
}

SCORE_ERROR = _("Choose a score from 1 to 5.")


# Who took part -------------------------------------------------------------------------------


def _require(user, perm, obj):
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


def _past_or_now(value, field):
    if value is None:
        raise ValidationError({field: [_("Give the date and time.")]})
    # A few minutes' grace for clocks and forms filled in right after the meeting.
    if value > timezone.now() + timedelta(minutes=15):
        raise ValidationError({field: [_("This time is in the future. Record it once held.")]})


# Planning meeting ----------------------------------------------------------------------------


def record_planning_meeting(user, order: Order, held_at, notes: str) -> Order:
    """The orderer or a coordinator in charge records the planning meeting."""
    _require(user, "followup.record_planning", order)
    notes = (notes or "").strip()
    if held_at is None:
        raise ValidationError({"held_at": [_("Give the date and time.")]})
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.state not in PLANNING_STATES:
            raise ValidationError(
                _("A planning meeting cannot be recorded when the order is %(state)s.")
                % {"state": locked.get_state_display()}
            )
        locked.planning_meeting_at = held_at
        locked.planning_notes = notes
        locked.save(update_fields=["planning_meeting_at", "planning_notes", "updated_at"])
        workflow.note(locked, NOTE_PLANNING, actor=user)
    order.planning_meeting_at = locked.planning_meeting_at
    order.planning_notes = locked.planning_notes
    return locked


# Debrief -------------------------------------------------------------------------------------


def debrief_of(order: Order, expert: Expert) -> Debrief | None:
    return Debrief.objects.filter(order=order, expert=expert).first()


def record_debrief(
    user,
    order: Order,
    expert: Expert,
    held_at,
    held_by: str,
    feelings: str = "",
    evaluation: str = "",
    wants_support: bool = False,
) -> Debrief:
    """Record one expert's debrief.

    The expert or a coordinator of the expert's organisation records it whole and may complete
    it later. The orderer may record only that it was held (when and by whom), once, and never
    feelings, evaluation or a support wish. When every expert who took part has a debrief, the
    order moves DONE -> DEBRIEFED. A support wish alerts the expert's own coordinators.
    """
    participation = Participation(order, expert)
    full = _can(user, "followup.record_full_debrief", participation)
    if not full:
        _require(user, "followup.record_debrief_held", participation)
        if (feelings or "").strip() or (evaluation or "").strip() or wants_support:
            raise PermissionDenied
    held_by = (held_by or "").strip()
    if not held_by:
        raise ValidationError({"held_by": [_("Say who held the debrief.")]})
    _past_or_now(held_at, "held_at")

    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.state not in AFTER_DONE_STATES:
            raise ValidationError(_("A debrief can be recorded once the assignment is done."))
        if locked.starts_at and timezone.localdate(held_at) < timezone.localdate(locked.starts_at):
            raise ValidationError({"held_at": [_("The debrief is held after the assignment.")]})
        debrief = Debrief.objects.select_for_update().filter(order=locked, expert=expert).first()
        created = debrief is None
        if not created and not full:
            raise ValidationError(_("The debrief has already been recorded."))
        if created and locked.state != S.DONE:
            raise ValidationError(_("A debrief can no longer be added to this order."))
        support_before = bool(debrief and debrief.wants_support)
        debrief = debrief or Debrief(order=locked, expert=expert, recorded_by=user)
        debrief.held_at = held_at
        debrief.held_by = held_by
        if full:
            debrief.feelings = (feelings or "").strip()
            debrief.evaluation = (evaluation or "").strip()
            debrief.wants_support = bool(wants_support)
            if debrief.wants_support and not support_before:
                debrief.support_handled_at = None
                debrief.support_handled_by = None
        debrief.full_clean(exclude=["order", "expert", "recorded_by", "support_handled_by"])
        try:
            with transaction.atomic():
                debrief.save()
        except IntegrityError:
            raise ValidationError(_("The debrief has already been recorded.")) from None
        if created:
            # The timeline says only that it was held: never feelings or a support wish.
            workflow.note(locked, NOTE_DEBRIEF, actor=user, reason=expert.display_name)
        if locked.state == S.DONE and not _experts_without_debrief(locked).exists():
            workflow.transition(locked, "debrief", actor=user, system=True)
        if debrief.wants_support and not support_before:
            # e-mails to the expert's coordinators, through the outbox (notifications)
            signals.support_requested.send(sender=Debrief, debrief=debrief)
    order.state = locked.state
    return debrief


def _experts_without_debrief(order: Order):
    return participating_experts(order).exclude(debriefs__order=order)


def _can(user, perm, obj) -> bool:
    return rules.has_perm(perm, user, obj)


def support_requests(user):
    """Debriefs whose expert wants support, for the coordinators of the expert's organisation."""
    return (
        Debrief.objects.filter(
            wants_support=True, expert__organisation_id__in=coordinated_organisation_ids(user)
        )
        .select_related("order", "expert__user", "expert__organisation", "support_handled_by")
        .order_by("held_at", "pk")
    )


def mark_support_handled(user, debrief: Debrief) -> Debrief:
    _require(user, "followup.handle_support", debrief)
    if not debrief.wants_support:
        raise ValidationError(_("The expert has not asked for support."))
    updated = Debrief.objects.filter(pk=debrief.pk, support_handled_at__isnull=True).update(
        support_handled_at=timezone.now(), support_handled_by=user
    )
    if not updated:
        raise ValidationError(_("This request has already been marked handled."))
    debrief.refresh_from_db()
    return debrief


# Feedback ------------------------------------------------------------------------------------


def feedback_direction(user, order: Order, expert: Expert) -> str | None:
    """Which way this user gives feedback on this expert's part: decided by who they are."""
    participation = Participation(order, expert)
    if not _can(user, "followup.give_feedback", participation):
        return None
    if expert.user_id == user.pk:
        return Feedback.EXPERT_ON_ORDERER
    return Feedback.ORDERER_ON_ASSIGNMENT


def existing_feedback(order, expert, direction) -> Feedback | None:
    return Feedback.objects.filter(order=order, expert=expert, direction=direction).first()


def clean_score(value, field):
    """A score of 1-5 given as a number or text; anything else is an error on that field."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: [SCORE_ERROR]}) from None
    if number not in SCORE_RANGE:
        raise ValidationError({field: [SCORE_ERROR]})
    return number


def give_feedback(user, order: Order, expert: Expert, direction: str, *, comment="", **scores):
    """Once each way, after the assignment is done.

    The orderer gives `overall` on each expert who took part; the expert gives
    `expectations_clear`, `time_respected` and `treated_as_equal` on the orderer.
    """
    actual = feedback_direction(user, order, expert)
    if actual is None:
        raise PermissionDenied
    if direction != actual:
        raise PermissionDenied
    wanted = SCORES_BY_DIRECTION[direction]
    unknown = set(scores) - set(wanted)
    if unknown:
        raise ValidationError(_("These scores do not belong to this feedback."))
    errors = {}
    cleaned = {}
    for field in wanted:
        try:
            cleaned[field] = clean_score(scores.get(field), field)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    comment = (comment or "").strip()
    if len(comment) > 3000:
        raise ValidationError({"comment": [_("Write at most 3000 characters.")]})

    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.state not in AFTER_DONE_STATES:
            raise ValidationError(_("Feedback can be given once the assignment is done."))
        if Feedback.objects.filter(order=locked, expert=expert, direction=direction).exists():
            raise ValidationError(_("You have already given this feedback. Thank you!"))
        try:
            with transaction.atomic():
                return Feedback.objects.create(
                    order=locked,
                    expert=expert,
                    direction=direction,
                    comment=comment,
                    given_by=user,
                    **cleaned,
                )
        except IntegrityError:
            raise ValidationError(_("You have already given this feedback. Thank you!")) from None


# For the order page ---------------------------------------------------------------------------


def order_followup(order: Order, user) -> list[dict]:
    """Per expert who took part: whether and when a debrief was held, and what this user may
    do here. Says nothing of feelings or support wishes, so any party's page may show it."""
    rows = []
    debriefs = {d.expert_id: d for d in Debrief.objects.filter(order=order)}
    given = set(
        Feedback.objects.filter(order=order, given_by=user).values_list("expert_id", "direction")
    )
    for expert in participating_experts(order).select_related("user"):
        participation = Participation(order, expert)
        debrief = debriefs.get(expert.pk)
        direction = feedback_direction(user, order, expert)
        rows.append(
            {
                "expert": expert,
                "debrief_held_at": debrief.held_at if debrief else None,
                "can_debrief": _can(user, "followup.debrief", participation),
                "feedback_direction": direction,
                "feedback_given": (expert.pk, direction) in given,
                "feedback_open": order.state in AFTER_DONE_STATES,
            }
        )
    return rows
