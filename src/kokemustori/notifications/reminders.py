"""Reminders two days before the assignment and before the debrief, each sent once.

Run from `manage.py periodic` (cron, every 15 minutes). A reminder is recorded in
ReminderSent before its e-mail is queued; the unique constraint makes a second run, or two
runs at the same time, send nothing more.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kokemustori.agreements.models import AgreementState
from kokemustori.offers.models import Offer, OfferState

from .dispatch import EXPERT, ORDERER, agreement_link, notify, offer_link, order_link
from .models import ReminderKind, ReminderSent

LEAD_TIME = timedelta(days=2)

# Orders whose assignment may still take place / whose debrief may still be held.
ASSIGNMENT_STATES = ("matching", "offered", "agreed")
DEBRIEF_STATES = ("agreed", "done")


def _accepted_offers(**when):
    return (
        Offer.objects.filter(state=OfferState.ACCEPTED, **when)
        .exclude(agreement__state=AgreementState.CANCELLED)
        .select_related("order__orderer__user", "expert__user", "agreement")
        .order_by("order_id", "pk")
    )


def _remind(order, user, kind, role, link, now) -> int:
    with transaction.atomic():
        _, created = ReminderSent.objects.get_or_create(
            order=order, user=user, kind=kind, defaults={"sent_at": now}
        )
        if created:
            notify(user, f"reminder_{kind}", role=role, order_id=order.pk, kind=kind, link=link)
    return int(created)


def _send(kind, offers, now) -> int:
    count = 0
    for offer in offers:
        order = offer.order
        agreement = getattr(offer, "agreement", None)
        link = agreement_link(agreement) if agreement else offer_link(offer)
        count += _remind(order, offer.expert.user, kind, EXPERT, link, now)
        count += _remind(order, order.orderer.user, kind, ORDERER, order_link(order), now)
    return count


def send_due_reminders(now=None) -> int:
    """Queue the reminders that are due and not yet sent. Returns how many were queued."""
    now = now or timezone.now()
    horizon = now + LEAD_TIME
    count = _send(
        ReminderKind.ASSIGNMENT,
        _accepted_offers(
            order__state__in=ASSIGNMENT_STATES,
            order__starts_at__gt=now,
            order__starts_at__lte=horizon,
        ),
        now,
    )
    count += _send(
        ReminderKind.DEBRIEF,
        _accepted_offers(
            order__state__in=DEBRIEF_STATES,
            order__debrief_at__gt=now,
            order__debrief_at__lte=horizon,
        ),
        now,
    )
    return count
