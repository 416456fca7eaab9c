"""Who may vet orderers. Whether an orderer may browse and send is asked of
`core.roles.verified_orderer_of` by the experts' and orders' rules."""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import coordinated_organisation_ids


def is_coordinator(user):
    return bool(coordinated_organisation_ids(user))


is_coordinator = predicate(is_coordinator)


def is_own_account(user, orderer):
    return orderer is not None and orderer.user_id == user.pk


is_own_account = predicate(is_own_account)


rules.add_perm("orderers.view_waiting", is_coordinator)
rules.add_perm("orderers.decide_verification", is_coordinator & ~is_own_account)
