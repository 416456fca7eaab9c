"""Who may record and read what after an assignment.

The debrief's feelings, evaluation and support wish are the expert's own: the expert and the
coordinators of the expert's organisation. The orderer may only record, and see, that a debrief
was held, when and by whom. Checked with rules.has_perm (no superuser bypass).
"""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import coordinated_organisation_ids
from kokemustori.experts.rules import coordinates_expert, is_self
from kokemustori.orders.rules import coordinates_order, is_ordering_party

from .participation import participating_experts


def takes_part(user, participation):
    return participation is not None and participation.took_part


takes_part = predicate(takes_part)


def is_the_expert(user, participation):
    return participation is not None and is_self(user, participation.expert)


is_the_expert = predicate(is_the_expert)


def coordinates_the_expert(user, participation):
    return participation is not None and coordinates_expert(user, participation.expert)


coordinates_the_expert = predicate(coordinates_the_expert)


def is_the_orderer(user, participation):
    return participation is not None and is_ordering_party(user, participation.order)


is_the_orderer = predicate(is_the_orderer)


def is_coordinator(user):
    return bool(coordinated_organisation_ids(user))


is_coordinator = predicate(is_coordinator)


def coordinates_debriefed_expert(user, debrief):
    return debrief is not None and coordinates_expert(user, debrief.expert)


coordinates_debriefed_expert = predicate(coordinates_debriefed_expert)


def is_participant_in_order(user, order):
    if order is None or not user.is_authenticated:
        return False
    return participating_experts(order).filter(user_id=user.pk).exists()


is_participant_in_order = predicate(is_participant_in_order)


# Planning meeting: recorded by the orderer or a coordinator in charge; read also by the experts.
rules.add_perm("followup.record_planning", is_ordering_party | coordinates_order)
rules.add_perm(
    "followup.view_planning", is_ordering_party | coordinates_order | is_participant_in_order
)

# Debrief: the whole record (feelings, evaluation, support wish) or only that it was held.
# Cheap role checks first: `takes_part` queries the offers.
rules.add_perm(
    "followup.record_full_debrief", (is_the_expert | coordinates_the_expert) & takes_part
)
rules.add_perm("followup.record_debrief_held", is_the_orderer & takes_part)
rules.add_perm(
    "followup.debrief", (is_the_expert | coordinates_the_expert | is_the_orderer) & takes_part
)

# Feedback: the orderer on each expert's assignment, each expert on the orderer.
rules.add_perm("followup.give_feedback", (is_the_expert | is_the_orderer) & takes_part)

# Coordinators: aggregates and support alerts of their own organisations' experts.
rules.add_perm("followup.coordinate", is_coordinator)
rules.add_perm("followup.handle_support", coordinates_debriefed_expert)
