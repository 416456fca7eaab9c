"""Reactions to steps on the ordering path: which e-mails go to whom.

Called after the transaction commits; each e-mail is queued as a background task.
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
