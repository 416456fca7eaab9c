"""What open calls announce to the apps above them (docs/architecture.md, "Signals")."""

from django.dispatch import Signal

# An open call was published. Keyword arguments: call, expert_ids (the experts who may answer
# it when it was published).
call_published = Signal()

# An open call closed. Keyword arguments: call, expert_ids (the interested experts who got no
# offer: they are told kindly).
call_closed = Signal()
