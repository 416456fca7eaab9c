"""Who may match experts to an order: the coordinators in charge of it."""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.orders.workflow import COORDINATOR, roles_on


def coordinates_order(user, order):
    return order is not None and COORDINATOR in roles_on(order, user)


coordinates_order = predicate(coordinates_order)


rules.add_perm("matching.match_order", coordinates_order)
