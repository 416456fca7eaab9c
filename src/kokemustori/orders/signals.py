"""What an order announces to the apps above it (docs/architecture.md, "Signals").

Sent synchronously inside the step's transaction: a receiver that fails rolls the step back,
and e-mails written by receivers leave through the outbox only after the commit. Receivers
are connected in their app's AppConfig.ready() and run in the order of INSTALLED_APPS, so
the lower layer's receivers (agreements) run before the higher ones (notifications).
"""

from django.dispatch import Signal

# An order changed state. Keyword arguments: order (the locked row, already in its new
# state), event (the OrderEvent recorded for the step), actor (the user, or None).
order_transitioned = Signal()

# The order's page is being drawn. Keyword arguments: order, user, roles (the user's roles on
# the order, see orders.workflow). Each receiver returns a dict to add to the page's context.
order_page = Signal()

# The names of the notes other apps write on an order's timeline (orders.workflow.note).
# No arguments; each receiver returns a dict {action: label}.
timeline_labels = Signal()
