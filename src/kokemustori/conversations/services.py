"""Writing and reading the conversations on an order. Who may do it is rules.py; the views
check it before calling these."""

from dataclasses import dataclass

import rules
from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from kokemustori.agreements.models import Agreement
from kokemustori.core.roles import coordinated_organisation_ids
from kokemustori.orders.models import Order

from . import signals
from .models import Message, ReadMark, Thread


def thread_of(order, expert=None) -> Thread:
    """The order's own thread (no expert) or the expert's; unsaved until its first message."""
    found = Thread.objects.filter(order=order, expert=expert).first()
    return found or Thread(order=order, expert=expert)


def _sees_from(thread, user):
    """From when this person sees the thread: the orderer sees an expert's thread from the
    agreement on (what the expert told their coordinators before it stays theirs); everyone
    else who may read it sees all of it."""
    if thread.is_main or thread.order.orderer.user_id != user.pk:
        return None
    if thread.order.is_in_charge(coordinated_organisation_ids(user)):
        return None
    return Agreement.objects.filter(order_id=thread.order_id, expert_id=thread.expert_id).aggregate(
        at=Min("created_at")
    )["at"]


def visible_messages(thread, user):
    if thread.pk is None:
        return Message.objects.none()
    messages = thread.messages.select_related("author")
    since = _sees_from(thread, user)
    if since is not None:
        messages = messages.filter(created_at__gte=since)
    return messages.order_by("created_at", "pk")


def _read_at(thread, user):
    return (
        ReadMark.objects.filter(thread=thread, user=user).values_list("read_at", flat=True).first()
    )


def unread(thread, user):
    """Messages of others this person has not seen yet."""
    messages = visible_messages(thread, user).exclude(author=user)
    read_at = _read_at(thread, user) if thread.pk else None
    if read_at is not None:
        messages = messages.filter(created_at__gt=read_at)
    return messages


def unread_count(thread, user) -> int:
    return unread(thread, user).count() if thread.pk else 0


def had_unread_before(thread, user, message) -> bool:
    """Was this person already waiting to read something here when `message` came? Then
    they were told already, and are not told again until they have read the thread."""
    return (
        unread(thread, user)
        .filter(created_at__lte=message.created_at)
        .exclude(pk=message.pk)
        .exists()
    )


def mark_read(thread, user, at=None) -> None:
    if thread.pk is None or not user.is_authenticated:
        return
    ReadMark.objects.update_or_create(
        thread=thread, user=user, defaults={"read_at": at or timezone.now()}
    )


def post(user, thread, body: str) -> Message:
    """Write a message. The thread is made with its first message; those taking part hear of
    it through `message_posted` (notifications), in this same transaction."""
    with transaction.atomic():
        if thread.pk is None:
            thread, _created = Thread.objects.get_or_create(
                order=thread.order, expert=thread.expert
            )
        message = Message.objects.create(thread=thread, author=user, body=body)
        mark_read(thread, user, at=message.created_at)
        signals.message_posted.send(sender=Message, message=message)
    return message


# Showing ---------------------------------------------------------------------------------


@dataclass
class Shown:
    message: Message
    name: str
    role: str


def author_of(message, thread) -> tuple[str, str]:
    """(name, role) of a message's author. Experts appear by their public name (a pseudonym
    stays a pseudonym); an erased author as a removed user."""
    author = message.author
    if author is None:
        return _("removed user"), ""
    if thread.expert_id and author.pk == thread.expert.user_id:
        return thread.expert.display_name, _("expert")
    if author.pk == thread.order.orderer.user_id:
        return author.get_full_name() or _("the orderer"), _("orderer")
    return author.get_full_name() or _("a coordinator"), _("coordinator")


def shown_messages(thread, user) -> list[Shown]:
    return [
        Shown(message, *author_of(message, thread)) for message in visible_messages(thread, user)
    ]


# At most this many threads are listed as waiting; the rest are on their orders' pages.
MAX_UNREAD_THREADS = 10


def unread_threads(user, limit: int = MAX_UNREAD_THREADS) -> list[tuple[Thread, int]]:
    """Threads this person may read with messages from others they have not read yet,
    newest first, as (thread, number unread). The database narrows to threads with a message
    newer than the person's read mark on an order they are part of; the rule and what the
    person sees of the thread (the orderer only from the agreement on) decide the rest."""
    if not user.is_authenticated:
        return []
    read_at = ReadMark.objects.filter(thread=OuterRef("thread_id"), user=user).values("read_at")
    newer = Message.objects.filter(thread=OuterRef("pk")).exclude(author=user)
    never_read = ~Exists(ReadMark.objects.filter(thread=OuterRef("pk"), user=user))
    fresh = Exists(newer.filter(created_at__gt=Subquery(read_at[:1]))) | (
        Exists(newer) & never_read
    )
    organisations = coordinated_organisation_ids(user)
    mine = Q(expert__user=user) | Q(order__orderer__user=user)
    if organisations:
        mine |= Q(order__in=Order.objects.in_charge_of(organisations))
    candidates = (
        Thread.objects.filter(mine)
        .filter(fresh)
        .select_related("order__orderer", "expert__user")
        .annotate(newest=Max("messages__created_at"))
        .order_by("-newest", "-pk")[: limit * 2]
    )
    found = []
    for thread in candidates:
        if not rules.has_perm("conversations.read_thread", user, thread):
            continue
        count = unread_count(thread, user)
        if count:
            found.append((thread, count))
        if len(found) == limit:
            break
    return found
