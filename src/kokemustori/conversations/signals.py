"""What conversations announce to the apps above it (docs/architecture.md, "Signals")."""

from django.dispatch import Signal

# A message was written in a thread. Keyword arguments: message. Sent inside the
# transaction that saves it; notifications answer by telling the other side (never the body).
message_posted = Signal()
