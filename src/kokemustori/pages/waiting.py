"""What is waiting for each person: the rule behind "Waiting for you" on their page.

Each item is one thing the person should do, as a link, with the time by which it matters
(an offer's expiry, the assignment's start, a fee's payment target). Items with a time come
first, soonest first, overdue ones at the top; items without one follow, oldest first.
Coordinators get a line per kind of task with the count, linked to the filtered list, and a
line per order whose time is short. Nothing here shows a support wish's feelings or an
expert's identity to an orderer before an agreement exists.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.commitments import services as commitments
from kokemustori.conversations.pages import thread_url
from kokemustori.conversations.services import unread_threads
from kokemustori.experts.models import Expert, ExpertStatus, KindApplication, TrainingRecord
from kokemustori.fees.models import FeeRecord, FeeStatus
from kokemustori.fees.queries import overdue
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.offers.models import Offer, OfferState
from kokemustori.opencalls.eligibility import calls_for
from kokemustori.opencalls.models import CallState, OpenCall
from kokemustori.orders.models import Order, OrderState

# How far ahead an agreed assignment counts as coming up.
COMING_UP = timedelta(days=14)
# An open offer this close to its expiry needs the coordinator's eye (a reminder, another expert).
EXPIRING_SOON = timedelta(hours=24)
# An order with no expert agreed this close to its start is at risk.
AT_RISK = timedelta(days=7)
# More done assignments than this waiting for a debrief are one line with their count.
ONE_BY_ONE = 3
# States after the assignment, when debriefs and feedback are due.
AFTER_ASSIGNMENT = (OrderState.DONE, OrderState.DEBRIEFED, OrderState.CLOSED)

EXPERT, ORDERER, COORDINATOR = "expert", "orderer", "coordinator"


@dataclass(frozen=True)
class Waiting:
    text: str
    url: str
    due: datetime | date | None = None
    since: datetime | None = field(default=None, compare=False)
    late: bool = False  # set by most_urgent_first: the time has passed
    # The time is when something happens (an assignment), not a deadline to act by.
    happens: bool = False

    @property
    def due_has_time(self) -> bool:
        return isinstance(self.due, datetime)

    def overdue(self, now: datetime) -> bool:
        if self.due is None:
            return False
        if isinstance(self.due, datetime):
            return self.due < now
        return self.due < timezone.localdate(now)

    def sort_key(self, now: datetime):
        if self.due is None:
            return (1, (self.since or now).timestamp())
        moment = self.due
        if not isinstance(moment, datetime):
            moment = timezone.make_aware(datetime.combine(moment, datetime.min.time()))
        return (0, moment.timestamp())


def most_urgent_first(items, now):
    ordered = sorted(items, key=lambda item: item.sort_key(now))
    return [replace(item, late=item.overdue(now)) for item in ordered]


def _url(name, *args, query: str = "") -> str:
    return reverse(name, args=args) + (f"?{query}" if query else "")


# ---- the expert ---------------------------------------------------------------------------


def for_expert(expert: Expert, now: datetime) -> list[Waiting]:
    items = []
    # Once a kind is granted: the organisation's commitment, signed before any acceptance.
    if commitments.holds_a_kind(expert) and commitments.needs_signature(expert):
        text = commitments.current_text(expert.organisation)
        items.append(
            Waiting(
                _("Sign the confidentiality commitment of %(organisation)s")
                % {"organisation": expert.organisation},
                _url("commitments:sign"),
                since=text.published_at,
            )
        )
    for offer in expert.offers.filter(state=OfferState.OPEN, expires_at__gt=now).select_related(
        "order"
    ):
        items.append(
            Waiting(
                _("Answer the offer: %(order)s") % {"order": offer.order},
                _url("offers:detail", offer.pk),
                offer.expires_at,
            )
        )
    agreements = Agreement.objects.filter(expert=expert).select_related("order")
    for agreement in agreements.filter(
        state=AgreementState.PENDING, expert_accepted_at__isnull=True
    ):
        items.append(
            Waiting(
                _("Accept the agreement: %(order)s") % {"order": agreement.order},
                _url("agreements:detail", agreement.pk),
                agreement.order.starts_at,
            )
        )
    for agreement in agreements.filter(
        state=AgreementState.ACCEPTED,
        order__state=OrderState.AGREED,
        order__starts_at__gte=now,
        order__starts_at__lte=now + COMING_UP,
    ):
        items.append(
            Waiting(
                _("Assignment coming up: %(order)s") % {"order": agreement.order},
                _url("agreements:detail", agreement.pk),
                agreement.order.starts_at,
                happens=True,
            )
        )
    # Orders the expert took part in: an accepted offer whose agreement was not cancelled.
    took_part = Offer.objects.filter(
        order=OuterRef("pk"), expert=expert, state=OfferState.ACCEPTED
    ).exclude(agreement__state=AgreementState.CANCELLED)
    taken_part = Order.objects.filter(Exists(took_part), state__in=AFTER_ASSIGNMENT)
    no_debrief = taken_part.exclude(
        Exists(Debrief.objects.filter(order=OuterRef("pk"), expert=expert))
    )
    for order in no_debrief:
        items.append(
            Waiting(
                _("Fill in your debrief: %(order)s") % {"order": order},
                _url("followup:debrief", order.pk, expert.pk),
                since=order.updated_at,
            )
        )
    no_feedback = taken_part.exclude(
        Exists(
            Feedback.objects.filter(
                order=OuterRef("pk"), expert=expert, direction=Feedback.EXPERT_ON_ORDERER
            )
        )
    )
    for order in no_feedback:
        items.append(
            Waiting(
                _("Give feedback on the order: %(order)s") % {"order": order},
                _url("followup:feedback", order.pk, expert.pk),
                since=order.updated_at,
            )
        )
    # Open calls the expert may answer and has not: worth a look, never a duty.
    calls = calls_for(expert, now=now)
    answered = set(
        expert.open_call_interests.filter(call__in=calls).values_list("call_id", flat=True)
    )
    for call in calls:
        if call.pk not in answered:
            items.append(
                Waiting(
                    _("An open call, if it interests you: %(order)s") % {"order": call.order},
                    _url("opencalls:detail", call.pk),
                    call.answer_by,
                )
            )
    for record in FeeRecord.objects.filter(
        expert=expert,
        status=FeeStatus.PENDING,
        expenses_amount=0,
        assignment_date__lte=timezone.localdate(now),
    ).select_related("agreement__order"):
        items.append(
            Waiting(
                _("Send your expenses, if you had any: %(order)s")
                % {"order": record.agreement.order},
                _url("fees:expenses", record.pk),
                record.due_date,
            )
        )
    return most_urgent_first(items, now)


# ---- the orderer --------------------------------------------------------------------------


def for_orderer(orderer, now: datetime) -> list[Waiting]:
    items = []
    orders = Order.objects.filter(orderer=orderer)
    for agreement in Agreement.objects.filter(
        order__orderer=orderer, state=AgreementState.PENDING, orderer_accepted_at__isnull=True
    ).select_related("order"):
        items.append(
            Waiting(
                _("Accept the agreement: %(order)s") % {"order": agreement.order},
                _url("agreements:detail", agreement.pk),
                agreement.order.starts_at,
            )
        )
    for order in orders.filter(state=OrderState.NEEDS_CHANGES):
        items.append(
            Waiting(
                _("Changes asked to your order: %(order)s") % {"order": order},
                _url("orders:edit", order.pk),
                order.starts_at,
            )
        )
    for order in orders.filter(state=OrderState.DRAFT):
        # The guided form keeps a draft from its first step: it waits to be finished.
        items.append(
            Waiting(
                _("Finish and send your draft: %(order)s") % {"order": order},
                _url("orders:edit", order.pk),
                order.starts_at,
            )
        )
    for order in orders.filter(
        state=OrderState.AGREED, starts_at__gte=now, starts_at__lte=now + COMING_UP
    ):
        items.append(
            Waiting(
                _("Assignment coming up: %(order)s") % {"order": order},
                _url("orders:detail", order.pk),
                order.starts_at,
                happens=True,
            )
        )
    # Feedback on each expert's part; by then an agreement exists, so the name may show.
    for offer in (
        Offer.objects.filter(
            order__orderer=orderer,
            order__state__in=AFTER_ASSIGNMENT,
            state=OfferState.ACCEPTED,
        )
        .exclude(agreement__state=AgreementState.CANCELLED)
        .exclude(
            Exists(
                Feedback.objects.filter(
                    order=OuterRef("order"),
                    expert=OuterRef("expert"),
                    direction=Feedback.ORDERER_ON_ASSIGNMENT,
                )
            )
        )
        .select_related("order", "expert")
    ):
        items.append(
            Waiting(
                _("Give feedback on %(expert)s's part: %(order)s")
                % {"expert": offer.expert.display_name, "order": offer.order},
                _url("followup:feedback", offer.order_id, offer.expert_id),
                since=offer.order.updated_at,
            )
        )
    return most_urgent_first(items, now)


# ---- the coordinator ----------------------------------------------------------------------


def _count_line(count: int, text: str, url: str, due=None) -> list[Waiting]:
    return [Waiting(text % {"count": count}, url, due)] if count else []


def for_coordinator(organisation_ids, now: datetime) -> list[Waiting]:
    items = []
    experts = Expert.objects.filter(organisation_id__in=organisation_ids).exclude(
        status=ExpertStatus.DRAFT
    )
    applying = experts.filter(kind_applications__status=KindApplication.APPLIED).distinct()
    items += _count_line(
        count := applying.count(),
        ngettext(
            "%(count)s expert's application to review",
            "%(count)s experts' applications to review",
            count,
        ),
        _url("experts:review_list"),
    )
    trainings = TrainingRecord.objects.filter(
        expert__in=experts, status=TrainingRecord.PENDING
    ).exclude(expert__in=applying)
    items += _count_line(
        count := trainings.values("expert").distinct().count(),
        ngettext(
            "%(count)s expert's training record to verify",
            "%(count)s experts' training records to verify",
            count,
        ),
        _url("experts:review_list", query="show=all"),
    )
    in_charge = Order.objects.in_charge_of(organisation_ids)
    for order in in_charge.filter(state=OrderState.SUBMITTED):
        items.append(
            Waiting(
                _("Review the order: %(order)s") % {"order": order},
                _url("orders:detail", order.pk),
                order.starts_at,
                since=order.submitted_at,
            )
        )
    for offer in (
        Offer.objects.filter(
            order__in=in_charge,
            state=OfferState.OPEN,
            expires_at__gt=now,
            expires_at__lte=now + EXPIRING_SOON,
        )
        .select_related("order")
        .order_by("expires_at")
    ):
        items.append(
            Waiting(
                _("An offer expires within a day: %(order)s") % {"order": offer.order},
                _url("matching:order", offer.order_id),
                offer.expires_at,
            )
        )
    for order in in_charge.filter(
        state__in=(OrderState.MATCHING, OrderState.OFFERED),
        starts_at__gte=now,
        starts_at__lte=now + AT_RISK,
    ):
        items.append(
            Waiting(
                _("No expert agreed yet: %(order)s") % {"order": order},
                _url("matching:order", order.pk),
                order.starts_at,
            )
        )
    # Open calls: interested experts to choose from, or a call past its answer date to close.
    not_offered = Count(
        "interests",
        filter=~Exists(
            Offer.objects.filter(
                order_id=OuterRef("order_id"), expert_id=OuterRef("interests__expert_id")
            )
        ),
    )
    for call in (
        OpenCall.objects.filter(order__in=in_charge, state=CallState.OPEN)
        .annotate(n=not_offered)
        .select_related("order")
        .order_by("answer_by", "pk")
    ):
        if call.n:
            text = ngettext(
                "Open call: %(count)s interested expert to choose from: %(order)s",
                "Open call: %(count)s interested experts to choose from: %(order)s",
                call.n,
            ) % {"count": call.n, "order": call.order}
        elif call.answer_by <= now:
            text = _("Open call past its answer date with no one interested: %(order)s") % {
                "order": call.order
            }
        else:
            continue
        items.append(Waiting(text, _url("opencalls:manage", call.pk), call.answer_by))
    done_orders = in_charge.filter(state=OrderState.DONE).order_by("updated_at", "pk")
    # At most one more than are listed one by one: a big organisation's hundreds are counted.
    done = list(done_orders[: ONE_BY_ONE + 1])
    if len(done) > ONE_BY_ONE:
        # Dozens of lines would bury the rest of the list: one line, to the filtered inbox.
        count = done_orders.count()
        items.append(
            Waiting(
                ngettext(
                    "%(count)s assignment done, debrief not yet held",
                    "%(count)s assignments done, debrief not yet held",
                    count,
                )
                % {"count": count},
                _url("orders:inbox", query="state=done"),
                since=done[0].updated_at,
            )
        )
    else:
        for order in done:
            items.append(
                Waiting(
                    _("Assignment done, debrief not yet held: %(order)s") % {"order": order},
                    _url("orders:detail", order.pk),
                    since=order.updated_at,
                )
            )
    support = Debrief.objects.filter(
        expert__organisation_id__in=organisation_ids,
        wants_support=True,
        support_handled_at__isnull=True,
    )
    items += _count_line(
        count := support.count(),
        ngettext(
            "%(count)s expert asked for support", "%(count)s experts asked for support", count
        ),
        _url("followup:support"),
    )
    records = FeeRecord.objects.filter(organisation_id__in=organisation_ids)
    items += _count_line(
        count := records.filter(
            status=FeeStatus.PENDING, assignment_date__lte=timezone.localdate(now)
        ).count(),
        ngettext(
            "%(count)s fee waiting for approval", "%(count)s fees waiting for approval", count
        ),
        _url("fees:list", query="status=pending"),
    )
    late = overdue(records, timezone.localdate(now))
    items += _count_line(
        count := len(late),
        ngettext("%(count)s fee overdue", "%(count)s fees overdue", count),
        _url("fees:overdue"),
        late[0].due_date if late else None,
    )
    return most_urgent_first(items, now)


def waiting_for(user, *, expert=None, orderer=None, organisation_ids=(), now=None) -> dict:
    """Each of the user's roles with what waits in it: {role: [Waiting, ...]}."""
    now = now or timezone.now()
    waiting = {}
    if organisation_ids:
        waiting[COORDINATOR] = for_coordinator(organisation_ids, now)
    if expert is not None and expert.status != ExpertStatus.DRAFT:
        waiting[EXPERT] = for_expert(expert, now)
    if orderer is not None:
        waiting[ORDERER] = for_orderer(orderer, now)
    for role, item in unread_messages(user, expert=expert, orderer=orderer):
        if role in waiting:
            waiting[role] = [item, *waiting[role]]
    return waiting


def unread_messages(user, *, expert=None, orderer=None) -> list[tuple[str, Waiting]]:
    """New messages on an order, one line per thread, in the role the person reads it in:
    their own thread as the expert, their order as the orderer, otherwise as a coordinator.
    They come first: a question may be what holds the order up."""
    out = []
    for thread, count in unread_threads(user):
        if expert is not None and thread.expert_id == expert.pk:
            role = EXPERT
        elif orderer is not None and thread.order.orderer_id == orderer.pk:
            role = ORDERER
        else:
            role = COORDINATOR
        text = ngettext(
            "%(count)s new message: %(order)s",
            "%(count)s new messages: %(order)s",
            count,
        ) % {"count": count, "order": thread.order}
        out.append((role, Waiting(text, thread_url(thread))))
    return out
