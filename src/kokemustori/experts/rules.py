"""Who may do what with experts' data. Object-level predicates with `rules`.

Views check these with rules.has_perm (not user.has_perm) so that a superuser does not
silently bypass them: administrators run the installation but do not read experts' health
and child-welfare data.
"""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import coordinated_organisation_ids, verified_orderer_of

from .models import ExpertStatus


def is_self(user, expert):
    return expert is not None and user.is_authenticated and expert.user_id == user.pk


is_self = predicate(is_self)


def coordinates_expert(user, expert):
    return expert is not None and expert.organisation_id in coordinated_organisation_ids(user)


coordinates_expert = predicate(coordinates_expert)


def is_coordinator(user):
    return bool(coordinated_organisation_ids(user))


is_coordinator = predicate(is_coordinator)


def is_verified_orderer(user):
    """Only a verified orderer reads the catalogue (orderers/verification.py)."""
    return verified_orderer_of(user) is not None


is_verified_orderer = predicate(is_verified_orderer)


def is_listed(user, expert):
    return expert is not None and expert.status == ExpertStatus.ACTIVE and not expert.on_break


is_listed = predicate(is_listed)


rules.add_perm("experts.edit_profile", is_self)
rules.add_perm("experts.coordinate", is_coordinator)
rules.add_perm("experts.review_expert", coordinates_expert)
rules.add_perm("experts.browse_catalogue", is_verified_orderer | is_coordinator)
rules.add_perm("experts.view_public_profile", (is_verified_orderer | is_coordinator) & is_listed)
