"""Which agreements a person's calendar feed carries, and the feed's address."""

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kokemustori.agreements.ics import calendar_of
from kokemustori.agreements.models import Agreement
from kokemustori.series.calendar import entries_for

from .models import CalendarFeed, new_token

# secrets.token_urlsafe: letters, digits, "-" and "_".
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Past assignments stay in the feed this long, so last month's work is still in the calendar.
KEEP_PAST = timedelta(days=90)


def agreements_in_feed(user, now=None):
    """The person's agreements as the expert or as the orderer, from KEEP_PAST ago on.
    Cancelled ones stay, marked cancelled, so subscribed calendars remove their entries."""
    now = now or timezone.now()
    return (
        Agreement.objects.filter(Q(expert__user=user) | Q(order__orderer__user=user))
        .filter(starts_at__gte=now - KEEP_PAST)
        .select_related("order__orderer", "order__task_type")
        .order_by("starts_at", "pk")
    )


def feed_of(user):
    return CalendarFeed.objects.filter(user=user).first()


def turn_on(user) -> CalendarFeed:
    """A new secret address; any earlier one stops working at once."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.token = new_token()
            feed.created_at = timezone.now()
            feed.last_read_at = None
            feed.save()
    return feed


def turn_off(user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def address(feed: CalendarFeed) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("calendar_feed", args=[feed.token])


def subscribe_link(feed: CalendarFeed) -> str:
    """The same address as webcal://, which phones and calendar apps open as a subscription."""
    return "webcal://" + address(feed).removeprefix("https://").removeprefix("http://")


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed behind an address, only while its person's account is active (an erased or
    closed account's calendar goes dark). Anything but a token's own letters is no address at
    all (PostgreSQL refuses a NUL byte in a query, for one)."""
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    return CalendarFeed.objects.filter(token=token, user__is_active=True).first()


def calendar(feed: CalendarFeed, now=None) -> bytes:
    """The feed's calendar, in its person's language, with links to the agreements' pages in
    that language too; `now` for the window of past assignments (tests)."""
    user = feed.user
    language = user.language or settings.LANGUAGE_CODE
    site = settings.SITE_URL.rstrip("/")
    with override(language):
        agreements = list(agreements_in_feed(user, now))
        body = calendar_of(
            agreements,
            language,
            name=_("Kokemustori: my assignments"),
            url_of=lambda agreement: site + reverse("agreements:detail", args=[agreement.pk]),
            contacts=False,
            entries_of=entries_for(agreements),
        )
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    return body
