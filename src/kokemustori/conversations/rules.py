"""Who may read and write which conversation on an order. Checked with rules.has_perm
(through core.permissions.require), which has no superuser bypass.

* The order's own thread: the orderer of the order and the coordinators in charge of it
  (every organisation's for a network order), the same people who see the order page.
  Other people of the orderer's organisation do not see the order, so not its thread either.
* An expert's thread: the coordinators in charge and that expert, once an offer was sent to
  them; the orderer only once an agreement exists with that expert, and then only what was
  written from the agreement on (services.visible_messages): before it the expert's identity
  and what they told their coordinators are not the orderer's.
* Nobody else: other experts, other orderers, coordinators of organisations not in charge and
  administrators without a coordinator post get a 404.
"""

import rules

from kokemustori.agreements.models import Agreement
from kokemustori.core.permissions import predicate
from kokemustori.offers.models import Offer
from kokemustori.orders.rules import coordinates_order


def coordinates_thread(user, thread):
    """The coordinators in charge: the order's thread, and each offered expert's."""
    if thread is None or not coordinates_order(user, thread.order):
        return False
    return thread.is_main or has_offer(thread)


coordinates_thread = predicate(coordinates_thread)


def is_thread_orderer(user, thread):
    """The orderer: the order's thread always, an expert's thread once they have agreed."""
    if thread is None or not user.is_authenticated:
        return False
    if thread.order.orderer.user_id != user.pk:
        return False
    return thread.is_main or has_agreement(thread)


is_thread_orderer = predicate(is_thread_orderer)


def is_thread_expert(user, thread):
    """The expert of the thread, once an offer of the order was sent to them."""
    if thread is None or thread.is_main or not user.is_authenticated:
        return False
    if thread.expert.user_id != user.pk:
        return False
    return has_offer(thread)


is_thread_expert = predicate(is_thread_expert)


def has_offer(thread) -> bool:
    """An expert's thread exists only for an expert the order was offered to."""
    return Offer.objects.filter(order_id=thread.order_id, expert_id=thread.expert_id).exists()


def has_agreement(thread) -> bool:
    return Agreement.objects.filter(order_id=thread.order_id, expert_id=thread.expert_id).exists()


takes_part = coordinates_thread | is_thread_orderer | is_thread_expert

rules.add_perm("conversations.read_thread", takes_part)
rules.add_perm("conversations.write_message", takes_part)
