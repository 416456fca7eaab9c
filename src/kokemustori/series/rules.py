"""Who sees and handles a series (the order's own people):

- the orderer of the order and the coordinators in charge of it see the series, set it up,
  cancel a meeting and record attendance;
- an expert with an agreement on the order (not cancelled) sees the series' meetings and
  their own attendance and fees, nobody else's;
- a coordinator of the expert's own organisation approves the series' fee records of that
  expert and marks them paid, as with any fee record (fees.manage_record).
"""

import rules

from kokemustori.agreements.models import AgreementState
from kokemustori.core.permissions import predicate
from kokemustori.core.roles import coordinated_organisation_ids, expert_of
from kokemustori.orders.workflow import COORDINATOR, ORDERER, roles_on


def runs_order(user, order):
    return order is not None and bool(roles_on(order, user) & {ORDERER, COORDINATOR})


runs_order = predicate(runs_order)


def runs_series(user, series):
    return series is not None and runs_order(user, series.order)


runs_series = predicate(runs_series)


def agreed_on_series(user, series):
    expert = expert_of(user)
    return (
        series is not None
        and expert is not None
        and series.order.agreements.filter(expert=expert)
        .exclude(state=AgreementState.CANCELLED)
        .exists()
    )


agreed_on_series = predicate(agreed_on_series)


def pays_fee(user, fee):
    return fee is not None and fee.expert.organisation_id in coordinated_organisation_ids(user)


pays_fee = predicate(pays_fee)


rules.add_perm("series.set_up", runs_order)
rules.add_perm("series.pay_fee", pays_fee)
rules.add_perm("series.view", runs_series | agreed_on_series)
rules.add_perm("series.manage", runs_series)
