"""Who gets an e-mail for each step on the ordering path, and which one.

The handlers run inside the transaction of the step that causes them: each e-mail is
written to the outbox with the change, and sent by the outbox's worker once the change has
committed (never inside the request). Nobody is told about their own action.
"""

from datetime import timedelta

import rules
from django.contrib.auth import get_user_model
from django.db.models import Q

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.commitments import services as commitments
from kokemustori.conversations import services as conversations
from kokemustori.conversations.models import Message
from kokemustori.conversations.rules import has_agreement
from kokemustori.experts.models import Expert, KindApplication
from kokemustori.followup.models import Debrief
from kokemustori.offers.models import Offer, OfferState
from kokemustori.opencalls.models import OpenCall
from kokemustori.orders.models import OrderEvent, OrderState
from kokemustori.series.models import Meeting

from .tasks import queue_email

ORDERER, COORDINATOR, EXPERT = "orderer", "coordinator", "expert"


def order_link(order) -> dict:
    return {"name": "orders:detail", "args": [order.pk]}


def offer_link(offer) -> dict:
    return {"name": "offers:detail", "args": [offer.pk]}


def agreement_link(agreement) -> dict:
    return {"name": "agreements:detail", "args": [agreement.pk]}


def notify(user, template: str, *, role: str, **data) -> None:
    """Write one e-mail to `user` to the outbox, in the current transaction."""
    if user is None or not user.is_active or not user.email:
        return
    queue_email(user, template, {"role": role, **data})


def coordinators_of(order, *, extra_organisations=(), exclude=None):
    """Active users holding an active coordinator post in an organisation in charge."""
    organisations = list(order.organisations_in_charge().values_list("pk", flat=True))
    organisations += [o for o in extra_organisations if o]
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            coordinator_posts__is_active=True,
            coordinator_posts__organisation__is_active=True,
            coordinator_posts__organisation__in=organisations,
        )
        .distinct()
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users.order_by("pk"))


def _is(user, other) -> bool:
    return user is not None and other is not None and user.pk == other.pk


# ---- order state changes ---------------------------------------------------------------


def _to_coordinators(template):
    def handler(event):
        for user in coordinators_of(event.order, exclude=event.actor):
            notify(
                user, template, role=COORDINATOR, event_id=event.pk, link=order_link(event.order)
            )

    return handler


def _to_orderer(template):
    def handler(event):
        orderer = event.order.orderer.user
        if not _is(orderer, event.actor):
            notify(orderer, template, role=ORDERER, event_id=event.pk, link=order_link(event.order))

    return handler


def involved_offers(event):
    """Offers whose experts are part of the order when it is cancelled: open or accepted
    ones, and those withdrawn as part of the same cancellation."""
    around = event.at - timedelta(minutes=5)
    return (
        event.order.offers.filter(
            Q(state__in=[OfferState.OPEN, OfferState.ACCEPTED])
            | Q(state=OfferState.WITHDRAWN, responded_at__gte=around)
        )
        .select_related("expert__user", "agreement")
        .order_by("pk")
    )


def _cancelled(event):
    order = event.order
    orderer = order.orderer.user
    if not _is(orderer, event.actor):
        notify(orderer, "order_cancelled", role=ORDERER, event_id=event.pk, link=order_link(order))
    if event.from_state == OrderState.DRAFT:
        return  # nobody else has seen a draft
    for user in coordinators_of(order, exclude=event.actor):
        notify(user, "order_cancelled", role=COORDINATOR, event_id=event.pk, link=order_link(order))
    for offer in involved_offers(event):
        expert_user = offer.expert.user
        if _is(expert_user, event.actor):
            continue
        agreement = getattr(offer, "agreement", None)
        extra = (
            {"agreement_id": agreement.pk, "link": agreement_link(agreement)}
            if agreement
            else {"link": offer_link(offer)}
        )
        notify(expert_user, "order_cancelled", role=EXPERT, event_id=event.pk, **extra)


HANDLERS = {
    "submit": _to_coordinators("order_submitted"),
    "ask_changes": _to_orderer("order_changes_asked"),
    "decline": _to_orderer("order_declined"),
    "accept": _to_orderer("order_accepted"),
    # All offers declined or expired, or an agreement fell through: experts are needed again.
    "rematch": _to_coordinators("order_rematch"),
    "cancel": _cancelled,
    # "offer" and "agree" are told by on_offers_sent / on_offer_accepted.
}


def on_order_event(event_id: int) -> None:
    event = (
        OrderEvent.objects.select_related("order__orderer__user", "actor")
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.coordinators_only:
        return
    handler = HANDLERS.get(event.action)
    if handler is not None:
        handler(event)


# ---- offers and agreements -------------------------------------------------------------


def on_offers_sent(offer_ids: list[int]) -> None:
    """Each expert gets the offer: what is expected, time, fee, answer deadline."""
    offers = Offer.objects.filter(pk__in=offer_ids, state=OfferState.OPEN).select_related(
        "expert__user"
    )
    for offer in offers.order_by("pk"):
        notify(
            offer.expert.user,
            "offer_received",
            role=EXPERT,
            offer_id=offer.pk,
            link=offer_link(offer),
        )


def on_offer_accepted(offer_id: int) -> None:
    """Coordinators hear that the expert accepted; the orderer and the expert get the
    agreement to accept, with a calendar entry."""
    offer = (
        Offer.objects.select_related("order__orderer__user", "expert__user")
        .filter(pk=offer_id, state=OfferState.ACCEPTED)
        .first()
    )
    if offer is None:
        return
    order = offer.order
    for user in coordinators_of(
        order, extra_organisations=[offer.expert.organisation_id], exclude=offer.expert.user
    ):
        notify(user, "offer_accepted", role=COORDINATOR, offer_id=offer.pk, link=order_link(order))
    agreement = Agreement.objects.filter(offer=offer).first()
    if agreement is None:
        notify(
            order.orderer.user,
            "offer_accepted",
            role=ORDERER,
            offer_id=offer.pk,
            link=order_link(order),
        )
        return
    for user, role in ((order.orderer.user, ORDERER), (offer.expert.user, EXPERT)):
        notify(
            user,
            "agreement_to_accept",
            role=role,
            agreement_id=agreement.pk,
            link=agreement_link(agreement),
            attach_ics=True,
        )


def on_support_requested(debrief_id: int) -> None:
    """Only the coordinators of the expert's own organisation, and never the feelings: the
    e-mail says that support was asked and links to the support page."""
    debrief = Debrief.objects.select_related("expert", "order").filter(pk=debrief_id).first()
    if debrief is None:
        return
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            coordinator_posts__is_active=True,
            coordinator_posts__organisation=debrief.expert.organisation_id,
        )
        .distinct()
    )
    for user in users:
        notify(
            user,
            "support_requested",
            role=COORDINATOR,
            order_id=debrief.order_id,
            debrief_id=debrief.pk,
            link={"name": "followup:support", "args": []},
        )


def _agreement(agreement_id: int):
    return (
        Agreement.objects.select_related("order__orderer__user", "expert__user")
        .filter(pk=agreement_id)
        .first()
    )


def on_agreement_cancelled(agreement_id: int, actor_id: int | None) -> None:
    agreement = _agreement(agreement_id)
    if agreement is None:
        return
    recipients = [
        (agreement.order.orderer.user, ORDERER),
        (agreement.expert.user, EXPERT),
        *[(u, COORDINATOR) for u in coordinators_of(agreement.order)],
    ]
    seen = set()
    for user, role in recipients:
        if user.pk == actor_id or user.pk in seen:
            continue
        seen.add(user.pk)
        notify(
            user,
            "agreement_cancelled",
            role=role,
            agreement_id=agreement.pk,
            link=agreement_link(agreement),
        )


def on_agreement_amended(agreement_id: int, actor_id: int, *, new_version: bool) -> None:
    """Both parties read the new terms (and accept them again when they make a new version);
    the other coordinators of the expert's organisation are not told: the change is theirs."""
    agreement = _agreement(agreement_id)
    if agreement is None:
        return
    for user, role in ((agreement.order.orderer.user, ORDERER), (agreement.expert.user, EXPERT)):
        if user.pk == actor_id:
            continue
        notify(
            user,
            "agreement_changed",
            role=role,
            agreement_id=agreement.pk,
            amended_at=agreement.amended_at.isoformat(),
            new_version=new_version,
            link=agreement_link(agreement),
            attach_ics=True,
        )


# ---- messages ----------------------------------------------------------------------------


def thread_link(thread) -> dict:
    if thread.is_main:
        return order_link(thread.order)
    return {"name": "conversations:expert_thread", "args": [thread.order_id, thread.expert_id]}


def on_message_posted(message_id: int) -> None:
    """Everyone else taking part hears that there is a new message, with a link; never what
    it says (it may tell of health). Someone who has not yet read the earlier message they
    were told about is not told again: one notice until they have read the thread."""
    message = (
        Message.objects.select_related(
            "thread__order__orderer__user", "thread__expert__user", "author"
        )
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return
    thread = message.thread
    order = thread.order
    recipients = []
    if thread.is_main or has_agreement(thread):
        recipients.append((order.orderer.user, ORDERER, thread_link(thread)))
    if not thread.is_main:
        offer = Offer.objects.filter(order=order, expert=thread.expert).first()
        if offer is not None:
            recipients.append((thread.expert.user, EXPERT, offer_link(offer)))
    recipients += [(user, COORDINATOR, thread_link(thread)) for user in coordinators_of(order)]
    seen = {message.author_id}
    for user, role, link in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        # The same rule as the pages: nobody is told of a thread they may not read.
        if not rules.has_perm("conversations.read_thread", user, thread):
            continue
        if conversations.had_unread_before(thread, user, message):
            continue
        notify(
            user,
            "message_received",
            role=role,
            order_id=order.pk,
            message_id=message.pk,
            link=link,
        )


# ---- open calls --------------------------------------------------------------------------


def _call_link(call) -> dict:
    return {"name": "opencalls:detail", "args": [call.pk]}


def _experts_users(expert_ids):
    return [
        expert.user
        for expert in Expert.objects.filter(pk__in=list(expert_ids))
        .select_related("user")
        .order_by("pk")
    ]


def on_call_published(call_id: int, expert_ids) -> None:
    """Each expert who may answer a new open call gets a notice (by default in the weekly
    summary: their notice settings decide)."""
    call = OpenCall.objects.get(pk=call_id)
    for user in _experts_users(expert_ids):
        notify(
            user,
            "open_call",
            role=EXPERT,
            order_id=call.order_id,
            published_at=call.published_at.isoformat(),
            link=_call_link(call),
        )


def on_call_closed(call_id: int, expert_ids) -> None:
    """The interested experts who got no offer are told, kindly, that the call closed."""
    call = OpenCall.objects.get(pk=call_id)
    for user in _experts_users(expert_ids):
        notify(
            user,
            "open_call_closed",
            role=EXPERT,
            order_id=call.order_id,
            published_at=call.published_at.isoformat(),
            link={"name": "opencalls:mine"},
        )


# ---- series ------------------------------------------------------------------------------


def on_meeting_cancelled(meeting_id: int, actor_id: int | None) -> None:
    """One meeting of a series was cancelled: the experts agreed on the series, the orderer
    and the coordinators in charge hear which meeting and why; the series goes on."""
    meeting = (
        Meeting.objects.select_related("series__order__orderer__user").filter(pk=meeting_id).first()
    )
    if meeting is None:
        return
    order = meeting.series.order
    agreements = (
        Agreement.objects.filter(order=order)
        .exclude(state=AgreementState.CANCELLED)
        .select_related("expert__user")
        .order_by("pk")
    )
    recipients = [
        *[(a.expert.user, EXPERT) for a in agreements],
        (order.orderer.user, ORDERER),
        *[(u, COORDINATOR) for u in coordinators_of(order)],
    ]
    link = {"name": "series:detail", "args": [meeting.series_id]}
    seen = {actor_id}
    for user, role in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        notify(user, "series_meeting_cancelled", role=role, meeting_id=meeting.pk, link=link)


# ---- commitments -------------------------------------------------------------------------


def on_kind_granted(application_id: int) -> None:
    """An expert granted a kind whose organisation has a confidentiality commitment they have
    not signed is told to sign it: they accept no offer before they do."""
    application = (
        KindApplication.objects.select_related("expert__user", "expert__organisation")
        .filter(pk=application_id, status=KindApplication.GRANTED)
        .first()
    )
    if application is None or not commitments.needs_signature(application.expert):
        return
    text = commitments.current_text(application.expert.organisation)
    notify(
        application.expert.user,
        "commitment_to_sign",
        role=EXPERT,
        commitment_text_id=text.pk,
        link={"name": "commitments:sign"},
    )
