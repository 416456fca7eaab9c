"""Each person's calendar feed: a secret address that calendar apps subscribe to."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from kokemustori.agreements import services as agreement_services
from kokemustori.calendars import feeds
from kokemustori.calendars.models import CalendarFeed
from kokemustori.privacy.erasure import erase
from tests.factories import UserFactory
from tests.factories.fees import accepted_agreement

pytestmark = pytest.mark.django_db


def events(body: bytes) -> dict:
    calendar = Calendar.from_ical(body)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def feed_path(feed) -> str:
    return f"/calendar/{feed.token}.ics"


def test_the_feed_carries_the_persons_agreements_as_expert_and_as_orderer(client):
    agreement, _coordinator = accepted_agreement(starts_at=timezone.now() + timedelta(days=3))
    other, _ = accepted_agreement(starts_at=timezone.now() + timedelta(days=4))
    expert_feed = feeds.turn_on(agreement.expert.user)
    orderer_feed = feeds.turn_on(agreement.order.orderer.user)

    response = client.get(feed_path(expert_feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    uids = set(events(response.content))
    assert f"agreement-{agreement.pk}-assignment@kokemustori" in uids
    assert not any(f"agreement-{other.pk}-" in uid for uid in uids)
    orderer_uids = set(events(client.get(feed_path(orderer_feed)).content))
    assert f"agreement-{agreement.pk}-assignment@kokemustori" in orderer_uids


def test_a_cancelled_agreement_stays_in_the_feed_marked_cancelled(client):
    agreement, _coordinator = accepted_agreement(starts_at=timezone.now() + timedelta(days=3))
    feed = feeds.turn_on(agreement.expert.user)
    before = events(client.get(feed_path(feed)).content)
    uid = f"agreement-{agreement.pk}-assignment@kokemustori"
    assert str(before[uid]["status"]) == "CONFIRMED"

    agreement_services.cancel(agreement.expert.user, agreement, "I fell ill.")
    after = events(client.get(feed_path(feed)).content)
    assert str(after[uid]["status"]) == "CANCELLED"
    assert int(after[uid]["sequence"]) > int(before[uid]["sequence"])


def test_the_feed_names_no_order_title_task_text_or_contact_details(client):
    agreement, _coordinator = accepted_agreement(
        starts_at=timezone.now() + timedelta(days=3),
        title="SECRET-TITLE: living with psychosis",
        contact_name="Contact Person Maija",
        contact_email="maija.contact@example.org",
    )
    assert "maija.contact@example.org" in agreement.orderer_contact
    feed = feeds.turn_on(agreement.expert.user)
    body = client.get(feed_path(feed)).content.decode()
    assert "SECRET-TITLE" not in body
    assert "psychosis" not in body
    assert "maija.contact" not in body
    assert "Contact Person Maija" not in body
    # The agreement's own calendar file, behind login, keeps the contact.
    assert b"maija.contact@example.org" in client_ics(client, agreement)


def client_ics(client, agreement) -> bytes:
    client.force_login(agreement.expert.user)
    return client.get(reverse("agreements:ics", args=[agreement.pk])).content.replace(b"\r\n ", b"")


def test_the_feed_is_in_the_persons_language():
    agreement, _coordinator = accepted_agreement(starts_at=timezone.now() + timedelta(days=3))
    user = agreement.expert.user
    user.language = "sv"
    user.save(update_fields=["language"])
    body = feeds.calendar(feeds.turn_on(user))
    assert "X-WR-CALNAME:Kokemustori: mina uppdrag" in body.decode()


def test_old_assignments_leave_the_feed_after_ninety_days():
    now = timezone.now()
    recent, _ = accepted_agreement(starts_at=now - timedelta(days=80))
    old, _ = accepted_agreement(starts_at=now - timedelta(days=100))
    assert list(feeds.agreements_in_feed(recent.expert.user, now)) == [recent]
    assert list(feeds.agreements_in_feed(old.expert.user, now)) == []


def test_a_new_address_replaces_the_old_and_turning_off_ends_it(client):
    user = UserFactory()
    first = feeds.turn_on(user)
    old_path = feed_path(first)
    assert client.get(old_path).status_code == 200
    second = feeds.turn_on(user)
    assert second.token != first.token
    assert client.get(old_path).status_code == 404
    assert client.get(feed_path(second)).status_code == 200
    feeds.turn_off(user)
    assert client.get(feed_path(second)).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_an_inactive_accounts_feed_goes_dark(client):
    user = UserFactory()
    feed = feeds.turn_on(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(feed_path(feed)).status_code == 404


def test_erasure_removes_the_feed():
    user = UserFactory()
    feeds.turn_on(user)
    result = erase(user, actor=user)
    assert result.counts["calendar_feeds"] == 1
    assert not CalendarFeed.objects.filter(user_id=user.pk).exists()


def test_the_settings_page_makes_renews_and_turns_off_the_address(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("calendars:settings"))
    assert page.status_code == 200
    assert b"Make my calendar address" in page.content

    response = client.post(reverse("calendars:turn_on"), follow=True)
    feed = CalendarFeed.objects.get(user=user)
    assert f"http://127.0.0.1:8000/calendar/{feed.token}.ics".encode() in response.content
    assert f'href="webcal://127.0.0.1:8000/calendar/{feed.token}.ics"'.encode() in response.content
    assert b"Your calendar address is ready" in response.content

    response = client.post(reverse("calendars:turn_on"), follow=True)
    assert CalendarFeed.objects.get(user=user).token != feed.token
    assert b"The old one no longer works" in response.content

    client.post(reverse("calendars:turn_off"))
    assert not CalendarFeed.objects.filter(user=user).exists()


def test_the_settings_page_needs_a_login_and_only_posts_change_it(client):
    assert client.get(reverse("calendars:settings")).status_code == 302
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("calendars:turn_on")).status_code == 405
    assert not CalendarFeed.objects.filter(user=user).exists()


def test_a_nul_byte_or_other_stray_letter_is_no_address(client):
    # PostgreSQL refuses NUL in a query: found by the test below on PostgreSQL.
    assert client.get("/calendar/abc%00def.ics").status_code == 404
    assert client.get("/calendar/%C3%A4%20x.ics").status_code == 404


@settings(max_examples=60)
@given(token=st.text(min_size=1, max_size=80))
def test_any_other_address_is_not_found(token):
    # A real feed exists, so "not found" is not merely an empty table.
    feed = CalendarFeed.objects.first() or feeds.turn_on(UserFactory())
    path = reverse("calendar_feed", args=["x"]).removesuffix("x.ics")
    response = Client().get(path + quote(token, safe="") + ".ics")
    assert response.status_code == (200 if token == feed.token else 404)


def test_the_address_and_the_links_hold_one_slash_whatever_the_site_setting(settings):
    settings.SITE_URL = "https://kokemus.example/"
    agreement, _ = accepted_agreement(starts_at=timezone.now() + timedelta(days=2))
    user = agreement.expert.user
    user.language = "sv"
    user.save(update_fields=["language"])
    feed = feeds.turn_on(user)
    assert feeds.address(feed) == f"https://kokemus.example/calendar/{feed.token}.ics"
    assert feeds.subscribe_link(feed) == f"webcal://kokemus.example/calendar/{feed.token}.ics"
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert feeds.subscribe_link(feed) == f"webcal://127.0.0.1:8000/calendar/{feed.token}.ics"
    settings.SITE_URL = "https://kokemus.example/"
    event = events(feeds.calendar(feed))[f"agreement-{agreement.pk}-assignment@kokemustori"]
    # The agreement's page in the person's own language, and the summary in it too.
    assert str(event["url"]) == f"https://kokemus.example/sv/agreements/{agreement.pk}/"
    assert str(event["summary"]).startswith("Uppdrag för erfarenhetskunnig: ")


def test_the_feed_lists_by_start_time_and_reads_the_window_from_now():
    now = timezone.now()
    later, coordinator = accepted_agreement(starts_at=now + timedelta(days=9))
    expert = later.expert
    sooner, _ = accepted_agreement(
        starts_at=now + timedelta(days=2), coordinator=coordinator, expert=expert
    )
    assert list(feeds.agreements_in_feed(expert.user, now)) == [sooner, later]
    # Seen from a year on, both are older than ninety days.
    assert list(feeds.agreements_in_feed(expert.user, now + timedelta(days=365))) == []
    feed = feeds.turn_on(expert.user)
    assert events(feeds.calendar(feed, now + timedelta(days=365))) == {}
    feed.refresh_from_db()
    assert feed.last_read_at is not None
    other = feeds.turn_on(UserFactory())
    assert other.last_read_at is None


def test_the_feed_costs_the_same_queries_for_one_agreement_or_three():
    now = timezone.now()
    first, coordinator = accepted_agreement(starts_at=now + timedelta(days=2))
    feed = feeds.turn_on(first.expert.user)
    with CaptureQueriesContext(connection) as one:
        feeds.calendar(feeds.feed_by_token(feed.token))
    for days in (3, 4):
        accepted_agreement(
            starts_at=now + timedelta(days=days), coordinator=coordinator, expert=first.expert
        )
    with CaptureQueriesContext(connection) as three:
        feeds.calendar(feeds.feed_by_token(feed.token))
    assert len(three.captured_queries) == len(one.captured_queries)
