"""What the fees app asks the apps above it (docs/architecture.md, "Signals")."""

from django.dispatch import Signal

# An expert's earnings on the days start <= day < end are being counted (for the earnings
# limits). Keyword arguments: expert, start, end (dates), exclude_order (an Order or None:
# the order being checked, left out). Each receiver returns {"amount": Decimal, "orders":
# a queryset or list of order ids}: the earnings it counts itself, and the orders whose
# agreements and fee records the fees app must then not count again (the series app counts
# each meeting of a series on the meeting's day).
earnings_elsewhere = Signal()

# The coordinator's list of fees is being shown. Keyword arguments: user, filters (the list's
# valid filters: status, date_from, date_to; empty when none). Each receiver returns a dict
# for the page (the series app answers with its fee records per meeting or month, to approve
# and mark paid there too).
fee_list_page = Signal()
