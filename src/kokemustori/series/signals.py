"""What the series app announces to the apps above it (docs/architecture.md, "Signals")."""

from django.dispatch import Signal

# One meeting of a series was cancelled; the series and its other meetings stay. Sent inside
# the cancelling transaction. Keyword arguments: meeting, actor (the user who cancelled it).
meeting_cancelled = Signal()
