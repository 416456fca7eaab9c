"""Who may see and handle fee records.

Checked with rules.has_perm (through core.permissions.require), so a superuser gets no bypass.
"""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import coordinated_organisation_ids, expert_of


def is_coordinator(user):
    return bool(coordinated_organisation_ids(user))


is_coordinator = predicate(is_coordinator)


def is_expert(user):
    return expert_of(user) is not None


is_expert = predicate(is_expert)


def is_own_record(user, record):
    return record is not None and user.is_authenticated and record.expert.user_id == user.pk


is_own_record = predicate(is_own_record)


def coordinates_record(user, record):
    """A coordinator of the organisation the fee record belongs to (the expert's own)."""
    return record is not None and record.organisation_id in coordinated_organisation_ids(user)


coordinates_record = predicate(coordinates_record)


def coordinates_schedule_row(user, row):
    """A coordinator of the organisation whose fee schedule the row belongs to."""
    return row is not None and row.organisation_id in coordinated_organisation_ids(user)


coordinates_schedule_row = predicate(coordinates_schedule_row)


rules.add_perm("fees.coordinate", is_coordinator)
# Coordinators keep their own organisation's fee schedule (the list shows only their rows).
rules.add_perm("fees.keep_schedule", is_coordinator)
rules.add_perm("fees.edit_schedule_row", coordinates_schedule_row)
rules.add_perm("fees.view_own", is_expert)
rules.add_perm("fees.view_record", is_own_record | coordinates_record)
rules.add_perm("fees.edit_expenses", is_own_record | coordinates_record)
rules.add_perm("fees.manage_record", coordinates_record)
