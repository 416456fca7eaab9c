"""The durable e-mail outbox: every e-mail is a row, written with the change that causes it.

Use `kokemustori.outbox.enqueue(...)` inside the transaction of the step; see services.py.
"""


def enqueue(**kwargs):
    from .services import enqueue as _enqueue

    return _enqueue(**kwargs)
