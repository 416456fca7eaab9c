"""Who handles onboarding commitments:

- a coordinator of an organisation publishes its confidentiality commitment texts;
- an expert signs their own organisation's current text (services.sign checks it is theirs);
- a coordinator who may review an expert (experts.review_expert) combines the expert's
  verified trainings into a programme.
"""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import coordinated_organisation_ids, expert_of


def coordinates_organisation(user, organisation):
    return organisation is not None and organisation.pk in coordinated_organisation_ids(user)


coordinates_organisation = predicate(coordinates_organisation)


def is_expert(user):
    return expert_of(user) is not None


is_expert = predicate(is_expert)


rules.add_perm("commitments.publish", coordinates_organisation)
rules.add_perm("commitments.sign", is_expert)
