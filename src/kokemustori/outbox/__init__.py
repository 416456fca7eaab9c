"""The durable e-mail outbox: every e-mail is a row, written with the change that causes it.

Use `kokemustori.outbox.services.enqueue(...)` inside the transaction of the step.
"""
