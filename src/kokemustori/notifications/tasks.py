"""Notification e-mails: rendered in the recipient's language and written to the outbox.

`queue_email` renders one e-mail for one person from ids (order_id, offer_id, agreement_id,
event_id, ...) and writes it to the outbox (kokemustori.outbox) in the caller's transaction,
with an idempotency key made of the kind, the ids and the recipient, so one step never
e-mails a person twice about the same thing. The outbox delivers it and retries.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django_tasks import task

from kokemustori.agreements.ics import calendar_for
from kokemustori.agreements.models import Agreement
from kokemustori.commitments.models import ConfidentialityText
from kokemustori.offers.models import Offer
from kokemustori.orders.models import FeeChoice, Order, OrderEvent
from kokemustori.outbox.services import enqueue as outbox_enqueue
from kokemustori.series.models import Meeting

from . import notices
from .models import Delivery

logger = logging.getLogger(__name__)

FALLBACK_PAGE = "pages:dashboard"
SETTINGS_PAGE = "accounts_settings"
ICS_FILENAME = "kokemustori.ics"

# Lines of the order's time asked, in the order they are shown.
TIME_FIELDS = (
    "event_minutes",
    "preparation_minutes",
    "planning_minutes",
    "debrief_minutes",
    "travel_minutes",
)


def site_link(name: str, args=()) -> str:
    """An absolute link to a page, in the active language (call inside translation.override).

    Pages that do not exist (yet) fall back to the dashboard, so an e-mail is never lost
    because a link cannot be built.
    """
    try:
        path = reverse(name, args=list(args))
    except NoReverseMatch:
        path = reverse(FALLBACK_PAGE)
    return settings.SITE_URL.rstrip("/") + path


def recipient_language(user) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in codes else settings.LANGUAGE_CODE


def _time_rows(order) -> list[tuple[str, int]]:
    rows = []
    for field in TIME_FIELDS:
        if field == "planning_minutes" and not order.planning_meeting:
            continue
        minutes = getattr(order, field)
        if minutes:
            rows.append((str(order._meta.get_field(field).verbose_name), minutes))
    return rows


def build_context(user, data: dict) -> dict:
    """Turn the task's ids into what the templates may show. Experts appear only by their
    public name here; their profile (experience, story, topics) is never loaded."""
    context = {"recipient": user, "role": data.get("role", ""), "kind": data.get("kind", "")}
    order = None
    if data.get("event_id"):
        event = OrderEvent.objects.filter(pk=data["event_id"]).first()
        if event is None:
            return {}
        context["event"] = event
        context["reason"] = event.reason
        order = event.order
    if data.get("offer_id"):
        offer = Offer.objects.select_related("expert__user").filter(pk=data["offer_id"]).first()
        if offer is None:
            return {}
        context["offer"] = offer
        context["expert_name"] = offer.expert.display_name
        order = offer.order
    if data.get("agreement_id"):
        agreement = Agreement.objects.filter(pk=data["agreement_id"]).first()
        if agreement is None:
            return {}
        context["agreement"] = agreement
        context["expert_name"] = agreement.expert_public_name
        # The expert may withdraw without a reason; the e-mail then says only that.
        context["expert_withdrew"] = (
            agreement.cancelled_by_id is not None
            and agreement.cancelled_by_id == agreement.expert.user_id
        )
        order = agreement.order
    if data.get("meeting_id"):
        meeting = (
            Meeting.objects.select_related("series__order").filter(pk=data["meeting_id"]).first()
        )
        if meeting is None:
            return {}
        context["meeting"] = meeting
        context["reason"] = meeting.cancellation_reason
        order = meeting.series.order
    if data.get("order_id"):
        order = Order.objects.filter(pk=data["order_id"]).first()
    link = data.get("link") or {"name": FALLBACK_PAGE}
    if order is None and data.get("commitment_text_id"):
        # About the expert's organisation, not an order.
        text = (
            ConfidentialityText.objects.select_related("organisation")
            .filter(pk=data["commitment_text_id"])
            .first()
        )
        if text is None:
            return {}
        context["commitment"] = text
        context["organisation"] = text.organisation
        context["link"] = site_link(link["name"], link.get("args", ()))
        context["settings_link"] = site_link(SETTINGS_PAGE)
        return context
    if order is None:
        return {}
    context["order"] = order
    context["orderer_organisation"] = order.orderer.organisation_name
    context["fee_schedule"] = order.fee_choice == FeeChoice.SCHEDULE
    context["time_rows"] = _time_rows(order)
    context["total_minutes"] = order.total_minutes
    context["link"] = site_link(link["name"], link.get("args", ()))
    context["settings_link"] = site_link(SETTINGS_PAGE)
    return context


def _render_text(name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping."""
    template = get_template(name).template
    text = template.render(Context(context, autoescape=False))
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


def _render_html(name: str, context: dict) -> str | None:
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return None
    return template.render(context)


def _calendar(agreement, language: str, url: str = ""):
    """The agreement's ICS calendar, or None if it cannot be made (the e-mail goes without)."""
    try:
        data = calendar_for(agreement, language, url=url)
    except Exception:
        logger.exception("Could not make the calendar for agreement %s", agreement.pk)
        return None
    return data.decode("utf-8") or None


@dataclass
class Composed:
    subject: str
    body: str
    html: str
    attachments: list
    language: str
    order: object
    link: str = ""  # the page the e-mail links to, as a path on this site


# Ids that tell one e-mail of a kind from another, in the idempotency key.
# A change of an agreement's terms is told each time (amended_at tells one change from another).
KEY_FIELDS = (
    "event_id",
    "offer_id",
    "agreement_id",
    "order_id",
    "debrief_id",
    "message_id",
    "meeting_id",
    "commitment_text_id",
    "kind",
    "amended_at",
    "published_at",
)


def idempotency_key(user, template: str, data: dict) -> str:
    parts = [f"{name}={data[name]}" for name in KEY_FIELDS if data.get(name) not in (None, "")]
    return ":".join(["notify", template, data.get("role", ""), *parts, f"user={user.pk}"])


def compose(user, template: str, data: dict) -> Composed | None:
    """Build the e-mail in the recipient's language (None if its subject no longer exists)."""
    language = recipient_language(user)
    with translation.override(language):
        context = build_context(user, data)
        if not context:
            return None
        calendar = None
        if data.get("attach_ics") and context.get("agreement"):
            calendar = _calendar(context["agreement"], language, context["link"])
        context["has_calendar"] = bool(calendar)
        prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "Kokemustori: ")
        subject = " ".join(_render_text(f"notifications/{template}_subject.txt", context).split())
        body = _render_text(f"notifications/{template}_body.txt", context)
        html = _render_html(f"notifications/{template}_body.html", context)
    attachments = []
    if calendar:
        attachments.append(
            {"filename": ICS_FILENAME, "content": calendar, "mimetype": "text/calendar"}
        )
    return Composed(
        subject=prefix + subject,
        body=body,
        html=html or "",
        attachments=attachments,
        language=language,
        order=context.get("order"),
        link=context["link"].removeprefix(settings.SITE_URL.rstrip("/")),
    )


def _event_of(template: str, data: dict) -> str:
    for name in (
        "event_id",
        "offer_id",
        "agreement_id",
        "debrief_id",
        "message_id",
        "meeting_id",
        "order_id",
        "commitment_text_id",
    ):
        if data.get(name):
            return f"{template}:{name.removesuffix('_id')}:{data[name]}"
    return template


def queue_email(user, template: str, data: dict):
    """Render one notification e-mail and write it to the outbox (None if there is nothing
    to send). `data` holds ids (order_id, offer_id, agreement_id, event_id), the link as
    {"name": url name, "args": [...]}, the recipient's role on the order (for the footer)
    and flags such as attach_ics."""
    if user is None or not user.is_active or not user.email:
        return None
    composed = compose(user, template, data)
    if composed is None:
        return None
    key = idempotency_key(user, template, data)
    # Every e-mail is a notice in the service too; the person chooses whether it is also
    # e-mailed now, in a summary later (notices.send_summaries), or not at all.
    delivery = notices.delivery_for(user, template)
    notices.record(
        user,
        kind=template,
        key=key,
        # In the service the "Kokemustori: " of the e-mail's subject goes without saying.
        subject=composed.subject.removeprefix(
            getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "Kokemustori: ")
        ),
        link=composed.link,
        delivery=delivery,
    )
    if delivery != Delivery.NOW:
        return None
    return outbox_enqueue(
        key=key,
        to_email=user.email,
        user=user,
        language=composed.language,
        template=template,
        event=_event_of(template, data),
        about=composed.order,
        subject=composed.subject,
        body_text=composed.body,
        body_html=composed.html,
        attachments=composed.attachments,
    )


@task()
def send_email(user_id: int, template: str, data: dict) -> bool:
    """Kept for tasks queued before the outbox existed: writes the e-mail to the outbox."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return queue_email(user, template, data) is not None
