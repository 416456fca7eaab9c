"""Who may match experts to an order: the coordinators in charge of it."""

import rules

from kokemustori.orders.workflow import COORDINATOR, roles_on


@rules.predicate
def coordinates_order(user, order):
    return order is not None and COORDINATOR in roles_on(order, user)


rules.add_perm("matching.match_order", coordinates_order)
