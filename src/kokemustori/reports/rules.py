"""Who may read reports: network administrators (every organisation), coordinators (the
organisations they coordinate) and verified orderers (their own organisation's orders, nothing
about experts). Reports show counts and sums only, never a person (figures.suppressed hides
small counts of people)."""

import rules

from kokemustori.core.permissions import predicate

from .access import reader


def may_read_reports(user):
    return reader(user) is not None


may_read_reports = predicate(may_read_reports)


rules.add_perm("reports.view_reports", may_read_reports)
