"""What an agreement announces to the apps above it (docs/architecture.md, "Signals").

Sent synchronously inside the step's transaction, receivers in INSTALLED_APPS order.
"""

from django.dispatch import Signal

# Both sides accepted: the agreement binds. Keyword arguments: agreement.
agreement_bound = Signal()

# An agreement was cancelled (on its own or with its order). Keyword arguments: agreement,
# fee_due (whether the cancellation terms still owe the fee).
agreement_cancelled = Signal()

# An agreement was cancelled by the expert's side or a coordinator while the order goes on;
# the order's own cancellation tells everyone otherwise. Keyword arguments: agreement, actor.
agreement_fell_through = Signal()

# A coordinator changed the terms; when either party had accepted, a new version waits for
# both to accept again. Keyword arguments: agreement, actor, new_version (bool).
agreement_amended = Signal()
