"""Who may see and edit an order."""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import coordinated_organisation_ids, orderer_of, verified_orderer_of

from .models import OrderState


def is_ordering_party(user, order):
    return order is not None and user.is_authenticated and order.orderer.user_id == user.pk


is_ordering_party = predicate(is_ordering_party)


def coordinates_order(user, order):
    return order is not None and order.is_in_charge(coordinated_organisation_ids(user))


coordinates_order = predicate(coordinates_order)


def is_editable(user, order):
    return order is not None and order.state in (OrderState.DRAFT, OrderState.NEEDS_CHANGES)


is_editable = predicate(is_editable)


def is_orderer(user):
    return orderer_of(user) is not None


is_orderer = predicate(is_orderer)


def is_verified_orderer(user):
    """An unverified orderer saves drafts; only a verified one sends them."""
    return verified_orderer_of(user) is not None


is_verified_orderer = predicate(is_verified_orderer)


rules.add_perm("orders.create_order", is_orderer)
rules.add_perm("orders.submit_order", is_ordering_party & is_verified_orderer)
rules.add_perm("orders.view_order", is_ordering_party | coordinates_order)
rules.add_perm("orders.edit_order", is_ordering_party & is_editable)
rules.add_perm("orders.coordinate_order", coordinates_order)
