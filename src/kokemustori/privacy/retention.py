"""Removing personal data once its retention period has passed. Run by `manage.py periodic`
(cron, every 15 minutes); safe to run again or twice: what has been removed is not found again,
and a run that removes nothing records nothing.

* **Refused applications**: an expert whose every kind was refused, and who has not applied
  again, is erased (privacy.erasure) `RETENTION_DAYS_REFUSED_APPLICATIONS` days after the last
  decision, together with their account unless the account has another role.
* **Closed orders**: `RETENTION_DAYS_CLOSED_ORDERS` days after an order was closed, cancelled
  or declined, its personal details are removed: the contact person, remote link, planning
  notes, access notes, who held the debrief, the reasons on the timeline, the offers'
  messages, the debriefs' feelings and evaluation, feedback comments, the reasons a series'
  meetings were cancelled, the reminder records, and the conversations on the order (every
  thread with its messages).
  What the agreements and fee records need stays (they keep their own snapshots; the order
  keeps its title, times and task).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from kokemustori.audit.log import record
from kokemustori.audit.models import Action
from kokemustori.conversations.models import Message, Thread
from kokemustori.experts.models import Expert, ExpertStatus
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.notifications.models import ReminderSent
from kokemustori.offers.models import Offer
from kokemustori.orderers.models import Orderer
from kokemustori.orders.models import Order, OrderEvent, OrderState
from kokemustori.series.models import Meeting

from . import erasure


@dataclass
class RetentionResult:
    applications: int = 0
    orders: int = 0

    @property
    def total(self) -> int:
        return self.applications + self.orders


def _days(name: str) -> int:
    days = getattr(settings, name)
    if not isinstance(days, int) or days < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of days, at least 1.")
    return days


def refused_applications_due(now):
    cutoff = now - timedelta(days=_days("RETENTION_DAYS_REFUSED_APPLICATIONS"))
    return (
        Expert.objects.filter(status=ExpertStatus.REFUSED)
        .annotate(refused_at=Coalesce(Max("kind_applications__decided_at"), F("updated_at")))
        .filter(refused_at__lt=cutoff)
        .select_related("user")
    )


def purge_refused_applications(now) -> int:
    count = 0
    for expert in refused_applications_due(now):
        user = expert.user
        other_role = (
            user.is_staff
            or user.is_superuser
            or user.coordinator_posts.exists()
            or Orderer.objects.filter(user=user).exists()
        )
        try:
            erasure.erase(user, actor=None, action=Action.RETENTION_PURGED, expert_only=other_role)
        except erasure.ErasureRefused:
            continue  # e.g. an agreement ahead: not a refused application after all
        count += 1
    return count


def _closed_order_states():
    return (OrderState.CLOSED, OrderState.CANCELLED, OrderState.DECLINED)


ORDER_FIELDS_REMOVED = {
    "contact_name": "",
    "contact_phone": "",
    "contact_email": "",
    "remote_link": "",
    "planning_notes": "",
    "access_notes": "",
    "debrief_by": "",
}


def closed_orders_due(now):
    """Orders closed, cancelled or declined before the cutoff that still hold personal details.
    The time is that of the step into the final state (the order's last change if no step was
    recorded)."""
    cutoff = now - timedelta(days=_days("RETENTION_DAYS_CLOSED_ORDERS"))
    final_step = Q(events__to_state=F("state")) & ~Q(events__from_state=F("state"))
    left = (
        Q(pk__in=OrderEvent.objects.exclude(reason="").values("order_id"))
        | Q(
            pk__in=Debrief.objects.filter(
                ~Q(feelings="") | ~Q(evaluation="") | ~Q(held_by="")
            ).values("order_id")
        )
        | Q(pk__in=Feedback.objects.exclude(comment="").values("order_id"))
        | Q(pk__in=Offer.objects.filter(~Q(message="") | ~Q(match_reasons="")).values("order_id"))
        | Q(pk__in=ReminderSent.objects.values("order_id"))
        | Q(pk__in=Thread.objects.values("order_id"))
    )
    for name in ORDER_FIELDS_REMOVED:
        left |= ~Q(**{name: ""})
    return (
        Order.objects.filter(state__in=_closed_order_states())
        .annotate(closed_at=Coalesce(Max("events__at", filter=final_step), F("updated_at")))
        .filter(closed_at__lt=cutoff)
        .filter(left)
    )


def purge_closed_orders(now) -> int:
    with transaction.atomic():
        order_ids = list(closed_orders_due(now).values_list("pk", flat=True))
        if not order_ids:
            return 0
        # update(): the order's updated_at stays the time of its last real change.
        Order.objects.filter(pk__in=order_ids).update(**ORDER_FIELDS_REMOVED)
        counts = {
            "events": OrderEvent.objects.filter(order_id__in=order_ids)
            .exclude(reason="")
            .update(reason=""),
            "offers": Offer.objects.filter(order_id__in=order_ids)
            .filter(~Q(message="") | ~Q(match_reasons=""))
            .update(message="", match_reasons=""),
            "debriefs": Debrief.objects.filter(order_id__in=order_ids)
            .filter(~Q(feelings="") | ~Q(evaluation="") | ~Q(held_by=""))
            .update(feelings="", evaluation="", held_by=""),
            "feedback": Feedback.objects.filter(order_id__in=order_ids)
            .exclude(comment="")
            .update(comment=""),
            "meetings": Meeting.objects.filter(series__order_id__in=order_ids)
            .exclude(cancellation_reason="")
            .update(cancellation_reason=""),
            "reminders": ReminderSent.objects.filter(order_id__in=order_ids).delete()[0],
            "messages": Message.objects.filter(thread__order_id__in=order_ids).count(),
        }
        # The conversations were for the work; once it is long over they go whole.
        Thread.objects.filter(order_id__in=order_ids).delete()
        detail = f"closed orders {len(order_ids)}: " + "; ".join(
            f"{name} {n}" for name, n in counts.items() if n
        )
        record(None, Action.RETENTION_PURGED, detail=detail)
    return len(order_ids)


def purge_expired(now=None) -> RetentionResult:
    """Remove what has passed its retention period. Returns how many applications were
    removed and how many orders lost their personal details."""
    now = now or timezone.now()
    return RetentionResult(
        applications=purge_refused_applications(now),
        orders=purge_closed_orders(now),
    )
