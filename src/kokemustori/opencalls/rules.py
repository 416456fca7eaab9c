"""Who publishes and handles an open call: the coordinators in charge of its order. Who may
answer one is matching's rule (eligibility.py)."""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import expert_of
from kokemustori.orders.workflow import COORDINATOR, roles_on


def coordinates_order(user, order):
    return order is not None and COORDINATOR in roles_on(order, user)


coordinates_order = predicate(coordinates_order)


def is_expert(user):
    return expert_of(user) is not None


is_expert = predicate(is_expert)


rules.add_perm("opencalls.manage", coordinates_order)
rules.add_perm("opencalls.answer", is_expert)
