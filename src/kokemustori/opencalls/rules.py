"""Who publishes and handles an open call: the coordinators in charge of its order. Who may
see and answer one: an expert whom matching would let be offered its order, while the call
is open (eligibility.may_answer)."""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import expert_of
from kokemustori.orders.workflow import COORDINATOR, roles_on

from .eligibility import may_answer


def coordinates_order(user, order):
    return order is not None and COORDINATOR in roles_on(order, user)


coordinates_order = predicate(coordinates_order)


def is_expert(user):
    return expert_of(user) is not None


is_expert = predicate(is_expert)


def may_answer_call(user, call):
    # Asked only after is_expert: the user has an expert profile.
    return call is not None and may_answer(call, expert_of(user))


may_answer_call = predicate(may_answer_call)


rules.add_perm("opencalls.manage", coordinates_order)
rules.add_perm("opencalls.answer", is_expert & may_answer_call)
