"""The "Messages" part of the order's page and of the expert's offer page: which threads this
person sees there, each with its messages (newest last) or a link, and what is unread."""

from dataclasses import dataclass, field

import rules
from django.urls import reverse
from django.utils.translation import gettext as _

from kokemustori.core.roles import coordinated_organisation_ids

from . import services
from .forms import MessageForm
from .rules import has_agreement


def thread_url(thread) -> str:
    if thread.is_main:
        return reverse("conversations:order_thread", args=[thread.order_id])
    return reverse("conversations:expert_thread", args=[thread.order_id, thread.expert_id])


def expert_name(thread, user) -> str:
    """As on the order's offers table: the legal name only to the expert's own coordinators."""
    expert = thread.expert
    if expert.organisation_id in coordinated_organisation_ids(user):
        return expert.legal_name
    return expert.display_name


@dataclass
class ThreadView:
    thread: object
    title: str
    url: str
    unread: int
    messages: list = field(default_factory=list)
    form: object = None
    back: str = ""
    notice: str = ""  # who reads this thread, said above the form


def open_thread(thread, user, *, back: str, form=None, mark: bool = True) -> ThreadView:
    """The whole thread, marked read for this person (they are being shown it now)."""
    view = ThreadView(
        thread=thread,
        title=title_of(thread, user),
        url=thread_url(thread),
        unread=services.unread_count(thread, user),
        messages=services.shown_messages(thread, user),
        form=form or MessageForm(),
        back=back,
        notice=readers_notice(thread, user),
    )
    if mark:
        services.mark_read(thread, user)
    return view


def link_to(thread, user) -> ThreadView:
    return ThreadView(
        thread=thread,
        title=title_of(thread, user),
        url=thread_url(thread),
        unread=services.unread_count(thread, user),
    )


def title_of(thread, user) -> str:
    if thread.is_main:
        return _("The orderer and the coordinators")
    if thread.expert.user_id == user.pk:
        return _("You and the coordinators")
    return _("The coordinators and %(expert)s") % {"expert": expert_name(thread, user)}


def readers_notice(thread, user) -> str:
    if thread.is_main:
        return _("The orderer and the coordinators in charge of this order read this thread.")
    if has_agreement(thread):
        return _(
            "The coordinators in charge, the expert and, from the agreement on, the orderer "
            "read this thread."
        )
    return _("The coordinators in charge and the expert read this thread. The orderer does not.")


def order_section(order, user) -> dict | None:
    """The threads this person may read on the order's page: the order's own in full, the
    experts' as links."""
    main = services.thread_of(order)
    shown = None
    if rules.has_perm("conversations.read_thread", user, main):
        shown = open_thread(main, user, back="order")
    links = []
    for offer in order.offers.select_related("expert__user", "expert__organisation").order_by(
        "sent_at", "pk"
    ):
        thread = services.thread_of(order, offer.expert)
        thread.expert = offer.expert
        if rules.has_perm("conversations.read_thread", user, thread):
            links.append(link_to(thread, user))
    if shown is None and not links:
        return None
    unread = (shown.unread if shown else 0) + sum(link.unread for link in links)
    return {"main": shown, "links": links, "unread": unread}


def offer_section(offer) -> dict | None:
    """The expert's own thread on their offer's page, in full."""
    user = offer.expert.user
    thread = services.thread_of(offer.order, offer.expert)
    if not rules.has_perm("conversations.read_thread", user, thread):
        return None
    shown = open_thread(thread, user, back="offer")
    return {"main": shown, "links": [], "unread": shown.unread}
