"""Who may see and act on an agreement. Checked with rules.has_perm (through
core.permissions.require), which has no superuser bypass: an administrator without a
coordinator post does not read agreements, which carry the expert's legal name.

* view: the expert of the agreement, the orderer of its order, and the coordinators of the
  expert's own organisation. Nobody else: other experts, other orderers, coordinators of other
  organisations (even one in charge of a network order) and plain administrators get a 404.
* accept: the two parties only (the service also refuses a second acceptance).
* cancel: the two parties and the expert's coordinators (see services.cancel).
* amend (change the terms): the expert's coordinators, who wrote the terms; a party who wants
  a change asks them (services.amend makes a new version both accept again).
"""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import coordinated_organisation_ids


def is_agreement_expert(user, agreement):
    return agreement is not None and user.is_authenticated and agreement.expert.user_id == user.pk


is_agreement_expert = predicate(is_agreement_expert)


def is_agreement_orderer(user, agreement):
    return (
        agreement is not None
        and user.is_authenticated
        and agreement.order.orderer.user_id == user.pk
    )


is_agreement_orderer = predicate(is_agreement_orderer)


def coordinates_agreement_expert(user, agreement):
    return (
        agreement is not None
        and agreement.expert.organisation_id in coordinated_organisation_ids(user)
    )


coordinates_agreement_expert = predicate(coordinates_agreement_expert)


is_party = is_agreement_expert | is_agreement_orderer

rules.add_perm("agreements.view_agreement", is_party | coordinates_agreement_expert)
rules.add_perm("agreements.cancel_agreement", is_party | coordinates_agreement_expert)
rules.add_perm("agreements.amend_agreement", coordinates_agreement_expert)
