"""What an offer announces to the apps above it (docs/architecture.md, "Signals").

Sent synchronously inside the step's transaction, receivers in INSTALLED_APPS order (see
orders/signals.py): agreements make the agreement before notifications write the e-mails.
"""

from django.dispatch import Signal

# New offers were sent. Keyword arguments: offers (list of Offer).
offers_sent = Signal()

# An expert accepted an offer and took a place. Keyword arguments: offer.
offer_accepted = Signal()

# The expert's page of one offer is being drawn. Keyword arguments: offer. Each receiver
# returns a dict to add to the page's context (the fees app adds the earnings check).
offer_page = Signal()
