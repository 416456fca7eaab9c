"""Notices in the service, and how each person wants them delivered.

Every notification e-mail (tasks.queue_email) is first a notice: it shows under the bell in
the header until read. Each person chooses per kind of notice whether it is also e-mailed at
once (the default), gathered into a daily or a weekly summary e-mail, or only shown here.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kokemustori.core.roles import expert_of, is_coordinator, orderer_of
from kokemustori.outbox.services import enqueue as outbox_enqueue

from .models import (
    DEFAULT_DELIVERY,
    KINDS_BY_ROLE,
    NOTICE_KINDS,
    Delivery,
    Notice,
    NoticePreference,
    SummarySent,
)

SUMMARY_EVERY = {Delivery.DAILY: timedelta(days=1), Delivery.WEEKLY: timedelta(days=7)}


def delivery_for(user, kind: str) -> str:
    chosen = (
        NoticePreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or DEFAULT_DELIVERY.get(kind, Delivery.NOW)


def kinds_for(user) -> list[str]:
    """The kinds this person can receive, by their roles, in the order of NOTICE_KINDS; a
    person with no role yet is asked about none."""
    mine = set()
    if expert_of(user):
        mine |= KINDS_BY_ROLE["expert"]
    if orderer_of(user):
        mine |= KINDS_BY_ROLE["orderer"]
    if is_coordinator(user):
        mine |= KINDS_BY_ROLE["coordinator"]
    return [kind for kind in NOTICE_KINDS if kind in mine]


def preferences(user) -> dict:
    """{kind: delivery} for each kind this person can receive, the default filled in."""
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {
        kind: chosen.get(kind, DEFAULT_DELIVERY.get(kind, Delivery.NOW)) for kind in kinds_for(user)
    }


def set_preferences(user, choices: dict) -> None:
    with transaction.atomic():
        for kind, delivery in choices.items():
            if kind not in NOTICE_KINDS or delivery not in Delivery.values:
                continue
            NoticePreference.objects.update_or_create(
                user=user, kind=kind, defaults={"delivery": delivery}
            )


def record(user, *, kind: str, key: str, subject: str, link: str, delivery: str) -> Notice:
    """The notice of one e-mail; the same key (one step asking twice) gives the same notice."""
    notice, _created = Notice.objects.get_or_create(
        key=key[:300],
        defaults={
            "user": user,
            "kind": kind,
            "subject": subject[:300],
            "link": link[:300],
            "delivery": delivery,
        },
    )
    return notice


def unread(user):
    return Notice.objects.filter(user=user, read_at__isnull=True)


def mark_read(user, notice_id: int) -> Notice | None:
    """The person's own notice, marked read (None if it is not theirs)."""
    Notice.objects.filter(user=user, pk=notice_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return Notice.objects.filter(user=user, pk=notice_id).first()


def mark_all_read(user) -> int:
    return unread(user).update(read_at=timezone.now())


# Summaries -------------------------------------------------------------------------------


def _summary(user, delivery: str, notices, now) -> None:
    language = user.language or settings.LANGUAGE_CODE
    site = settings.SITE_URL.rstrip("/")
    with translation.override(language):
        count = len(notices)
        subject = ngettext(
            "Kokemustori: %(count)s new notice", "Kokemustori: %(count)s new notices", count
        ) % {"count": count}
        lines = [
            _("Hello,"),
            "",
            _("Here is what happened in Kokemustori since your last summary:"),
        ]
        lines.append("")
        for notice in notices:
            lines.append(f"- {notice.subject}")
            if notice.link:
                lines.append(f"  {site}{notice.link}")
        lines.append("")
        lines.append(
            _("You chose to get these in a summary. You can change it here: %(url)s")
            % {"url": site + reverse("notifications:preferences")}
        )
    outbox_enqueue(
        key=f"summary:{user.pk}:{delivery}:{now:%Y%m%dT%H%M}",
        to_email=user.email,
        user=user,
        language=language,
        template=f"summary_{delivery}",
        event=f"summary_{delivery}",
        subject=subject,
        body_text="\n".join(lines) + "\n",
    )


def send_summaries(now=None) -> int:
    """One summary e-mail per person and choice whose day or week is over and who has notices
    waiting for it. Returns how many were queued. Safe to run again: each notice goes once."""
    now = now or timezone.now()
    sent = 0
    for delivery, every in SUMMARY_EVERY.items():
        waiting = Notice.objects.filter(
            delivery=delivery, summarised_at__isnull=True, created_at__lte=now
        )
        people = (
            get_user_model()
            .objects.filter(pk__in=waiting.values("user_id"), is_active=True)
            .exclude(email="")
        )
        for user in people.order_by("pk"):
            with transaction.atomic():
                last = SummarySent.objects.filter(user=user, delivery=delivery).aggregate(
                    at=Max("sent_at")
                )["at"]
                if last is not None and now - last < every:
                    continue
                notices = list(
                    waiting.filter(user=user).select_for_update().order_by("created_at", "pk")
                )
                _summary(user, delivery, notices, now)
                Notice.objects.filter(pk__in=[n.pk for n in notices]).update(summarised_at=now)
                SummarySent.objects.create(user=user, delivery=delivery, sent_at=now)
                sent += 1
    return sent
