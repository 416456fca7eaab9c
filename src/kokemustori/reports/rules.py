"""Who may read reports: coordinators, for the organisations they coordinate. Reports show
counts and sums only, never a person (figures.suppressed hides small counts of people)."""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import coordinated_organisation_ids


def is_coordinator(user):
    return bool(coordinated_organisation_ids(user))


is_coordinator = predicate(is_coordinator)


rules.add_perm("reports.view_reports", is_coordinator)
