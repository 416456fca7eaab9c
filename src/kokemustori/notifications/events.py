"""Reactions to steps on the ordering path: which e-mails go to whom.

Called inside the transaction of the step, so that its e-mails are written to the outbox
together with the change (and vanish with it if it rolls back).
"""


def order_transitioned(event_id: int) -> None:
    """An order changed state (see orders.workflow)."""
    from .dispatch import on_order_event

    on_order_event(event_id)


def offers_sent(offer_ids: list[int]) -> None:
    """New offers: each expert gets an e-mail."""
    from .dispatch import on_offers_sent

    on_offers_sent(offer_ids)


def offer_accepted(offer_id: int) -> None:
    """An expert accepted: the orderer and coordinators are told; the agreement awaits both."""
    from .dispatch import on_offer_accepted

    on_offer_accepted(offer_id)


def support_requested(debrief_id: int) -> None:
    """An expert asked for support in their debrief: their own coordinators are alerted."""
    from .dispatch import on_support_requested

    on_support_requested(debrief_id)


def agreement_cancelled(agreement_id: int, actor_id: int | None) -> None:
    """One party cancelled an agreement: the others are told."""
    from .dispatch import on_agreement_cancelled

    on_agreement_cancelled(agreement_id, actor_id)
