"""The fast path: deliver one outbox row soon after the transaction that wrote it commits.

The task carries only the row's id. If it is lost, or its worker dies, the sweeper delivers
the row later (services.sweep); running it twice is harmless (the row is claimed first).
"""

from django_tasks import task

from .delivery import deliver_now


@task()
def deliver(email_id: str) -> str:
    outcome = deliver_now(email_id)
    return outcome.state or "not due"
