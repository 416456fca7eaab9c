"""Who may read the audit log: the coordinators of the organisation the events belong to.
Nobody may change it (the model refuses)."""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import coordinated_organisation_ids


def coordinates_any_organisation(user):
    return bool(coordinated_organisation_ids(user))


coordinates_any_organisation = predicate(coordinates_any_organisation)


rules.add_perm("audit.view_log", coordinates_any_organisation)
