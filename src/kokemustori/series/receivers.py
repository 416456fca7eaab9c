"""How the series answers what the apps below announce (docs/architecture.md)."""

import rules
from django.dispatch import receiver

from kokemustori.agreements.signals import agreement_bound
from kokemustori.fees.signals import earnings_elsewhere, fee_list_page
from kokemustori.offers.signals import offer_accepted, offer_page
from kokemustori.orders.signals import order_page, timeline_labels

from . import services
from .models import Series


@receiver(offer_accepted, dispatch_uid="series.offer_accepted")
def agreement_covers_series(sender, offer, **kwargs):
    # After agreements made the agreement: refuse the acceptance (the whole step rolls back)
    # when a month of the series would take the expert over their limits; else write the
    # series' terms into the agreement.
    services.refuse_if_over_limits(offer)
    services.write_into_agreement(offer.agreement)


@receiver(agreement_bound, dispatch_uid="series.agreement_bound")
def series_paid_by_meeting(sender, agreement, **kwargs):
    services.drop_single_fee_record(agreement)


@receiver(earnings_elsewhere, dispatch_uid="series.earnings_elsewhere")
def series_earnings(sender, expert, start, end, exclude_order=None, **kwargs):
    return services.earnings_in(expert, start, end, exclude_order)


@receiver(order_page, dispatch_uid="series.order_page")
def series_on_order(sender, order, user, roles, **kwargs):
    series = Series.objects.filter(order=order).first()
    if series is None:
        can = order.state in services.PLANNABLE and rules.has_perm("series.set_up", user, order)
        return {"series_part": {"can_set_up": can}} if can else {}
    if not rules.has_perm("series.view", user, series):
        return {}
    return {"series_part": {"series": series, **services.summary(series)}}


@receiver(offer_page, dispatch_uid="series.offer_page")
def series_on_offer(sender, offer, **kwargs):
    series = Series.objects.filter(order=offer.order).first()
    if series is None:
        return {}
    return {
        "series_part": {
            "series": series,
            "meetings": list(series.meetings.all()),
            "problems": services.problems_for(offer.expert, series, fee=offer.fee_amount),
        }
    }


@receiver(timeline_labels, dispatch_uid="series.timeline_labels")
def series_notes(sender, **kwargs):
    return services.TIMELINE_LABELS


@receiver(fee_list_page, dispatch_uid="series.fee_list_page")
def series_fees_to_pay(sender, user, filters, **kwargs):
    fees = list(services.pay_rows(user, filters))
    return {"series_fees": fees} if fees else {}
