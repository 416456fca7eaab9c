"""An orderer's wish for a particular expert ("Order this expert" on the public profile).

The wish is only a wish: the order still goes to the expert's background organisation (or the
network), whose coordinators see it in matching and decide. Only an expert listed in the
catalogue can be wished for, so a wish never names someone the orderer could not have seen.
"""

from kokemustori.experts.catalogue import catalogue_queryset


def wishable(value):
    """The listed expert that `value` (an id from a link or a form) names, or None."""
    try:
        pk = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return catalogue_queryset().filter(pk=pk).first()


def start_with_wish(order, expert) -> None:
    """A new order made from an expert's profile: the wish, and the expert's organisation in
    charge (the orderer may still choose the whole network on the form)."""
    order.wished_expert = expert
    if order.organisation_id is None:
        order.organisation = expert.organisation
