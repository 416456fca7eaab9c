"""What follow-up announces to the apps above it (docs/architecture.md, "Signals")."""

from django.dispatch import Signal

# An expert asked for support in their debrief. Keyword arguments: debrief.
support_requested = Signal()
