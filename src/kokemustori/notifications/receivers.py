"""Which steps on the ordering path send e-mail: each is a signal of a lower app
(docs/architecture.md), answered here by writing e-mails to the outbox in the step's
transaction (dispatch.py says who gets which)."""

from django.dispatch import receiver

from kokemustori.agreements.signals import agreement_amended, agreement_fell_through
from kokemustori.conversations.signals import message_posted
from kokemustori.experts.signals import kind_granted
from kokemustori.followup.signals import support_requested
from kokemustori.offers.signals import offer_accepted, offers_sent
from kokemustori.opencalls.signals import call_closed, call_published
from kokemustori.orders.signals import order_transitioned
from kokemustori.series.signals import meeting_cancelled

from . import dispatch


@receiver(order_transitioned, dispatch_uid="notifications.order_transitioned")
def order_changed(sender, event, **kwargs):
    dispatch.on_order_event(event.pk)


@receiver(offers_sent, dispatch_uid="notifications.offers_sent")
def offers_went_out(sender, offers, **kwargs):
    dispatch.on_offers_sent([offer.pk for offer in offers])


@receiver(offer_accepted, dispatch_uid="notifications.offer_accepted")
def offer_was_accepted(sender, offer, **kwargs):
    dispatch.on_offer_accepted(offer.pk)


@receiver(support_requested, dispatch_uid="notifications.support_requested")
def support_was_requested(sender, debrief, **kwargs):
    dispatch.on_support_requested(debrief.pk)


@receiver(agreement_fell_through, dispatch_uid="notifications.agreement_fell_through")
def agreement_fell(sender, agreement, actor, **kwargs):
    dispatch.on_agreement_cancelled(agreement.pk, actor.pk if actor is not None else None)


@receiver(agreement_amended, dispatch_uid="notifications.agreement_amended")
def agreement_changed(sender, agreement, actor, new_version, **kwargs):
    dispatch.on_agreement_amended(agreement.pk, actor.pk, new_version=new_version)


@receiver(message_posted, dispatch_uid="notifications.message_posted")
def message_was_posted(sender, message, **kwargs):
    dispatch.on_message_posted(message.pk)


@receiver(call_published, dispatch_uid="notifications.call_published")
def call_was_published(sender, call, expert_ids, **kwargs):
    dispatch.on_call_published(call.pk, expert_ids)


@receiver(call_closed, dispatch_uid="notifications.call_closed")
def call_was_closed(sender, call, expert_ids, **kwargs):
    dispatch.on_call_closed(call.pk, expert_ids)


@receiver(meeting_cancelled, dispatch_uid="notifications.meeting_cancelled")
def meeting_was_cancelled(sender, meeting, actor, **kwargs):
    dispatch.on_meeting_cancelled(meeting.pk, actor.pk if actor is not None else None)


@receiver(kind_granted, dispatch_uid="notifications.kind_granted")
def kind_was_granted(sender, application, **kwargs):
    dispatch.on_kind_granted(application.pk)
