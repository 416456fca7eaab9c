"""Who may download or erase whose personal data. Checked with rules.has_perm (through
core.permissions.require), which has no superuser bypass: an administrator without a
coordinator post neither reads nor erases an expert's data.

* Everyone who is logged in may download their own data and ask for its erasure (the erasure
  page explains when it cannot be done yet, e.g. for an assignment that is still ahead).
* A coordinator of the expert's own organisation may produce an expert's data (a request made
  by phone) and carry out their erasure. Not for a draft application: a draft has not been sent
  and is not the coordinators' to read (like experts.review_expert).
"""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.experts.models import ExpertStatus
from kokemustori.experts.rules import coordinates_expert, is_self


def is_logged_in(user):
    return user.is_authenticated


is_logged_in = predicate(is_logged_in)


def is_sent(user, expert):
    return expert is not None and expert.status != ExpertStatus.DRAFT


is_sent = predicate(is_sent)


coordinates_sent_expert = coordinates_expert & is_sent

rules.add_perm("privacy.export_own_data", is_logged_in)
rules.add_perm("privacy.erase_own_data", is_logged_in)
rules.add_perm("privacy.export_expert_data", coordinates_sent_expert)
# A coordinator who is also the expert uses their own page, with their own confirmation.
rules.add_perm("privacy.erase_expert", coordinates_sent_expert & ~is_self)
