"""Notices in the service: each notification e-mail is a notice too, and each person chooses
per kind whether it is e-mailed at once, in a daily or weekly summary, or only shown here."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kokemustori.notifications import notices
from kokemustori.notifications.models import Delivery, Notice, NoticePreference
from kokemustori.outbox.models import OutboundEmail
from kokemustori.privacy.erasure import erase
from kokemustori.privacy.export import collect
from tests.factories import CoordinatorFactory, ExpertFactory, UserFactory
from tests.factories.orders import OrderState, order_in_state

pytestmark = pytest.mark.django_db

TITLE = "Recovery from depression: a lecture for nursing students"


def coordinator_in_english():
    coordinator = CoordinatorFactory()
    coordinator.user.language = "en"
    coordinator.user.save(update_fields=["language"])
    return coordinator


def submitted(coordinator):
    order, _ = order_in_state(OrderState.SUBMITTED, coordinator=coordinator)
    return order


def emails_to(user, template="order_submitted"):
    return OutboundEmail.objects.filter(user=user, template=template)


def test_an_e_mail_is_a_notice_too_with_its_subject_and_link():
    coordinator = coordinator_in_english()
    order = submitted(coordinator)
    (notice,) = Notice.objects.filter(user=coordinator.user)
    (email,) = emails_to(coordinator.user)
    assert notice.kind == "order_submitted"
    assert email.subject == f"Kokemustori: New order to review: {TITLE}"
    assert notice.subject == f"New order to review: {TITLE}"
    assert notice.link == f"/en/orders/{order.pk}/"
    assert notice.read_at is None
    assert notice.delivery == Delivery.NOW


def test_only_in_the_service_means_no_e_mail():
    coordinator = coordinator_in_english()
    notices.set_preferences(coordinator.user, {"order_submitted": Delivery.PRODUCT})
    submitted(coordinator)
    assert Notice.objects.filter(user=coordinator.user, kind="order_submitted").count() == 1
    assert not emails_to(coordinator.user).exists()


def test_a_daily_summary_gathers_the_notices_into_one_e_mail_once_a_day():
    coordinator = coordinator_in_english()
    user = coordinator.user
    notices.set_preferences(user, {"order_submitted": Delivery.DAILY})
    first, second = submitted(coordinator), submitted(coordinator)
    assert not emails_to(user).exists()
    now = timezone.now()

    assert notices.send_summaries(now) == 1
    (summary,) = OutboundEmail.objects.filter(user=user, template="summary_daily")
    assert summary.subject == "Kokemustori: 2 new notices"
    assert f"http://127.0.0.1:8000/en/orders/{first.pk}/" in summary.body_text
    assert f"http://127.0.0.1:8000/en/orders/{second.pk}/" in summary.body_text
    assert notices.send_summaries(now) == 0  # each notice goes once

    third = submitted(coordinator)
    assert notices.send_summaries(now + timedelta(hours=23)) == 0  # the day is not over
    assert notices.send_summaries(now + timedelta(hours=24)) == 1
    latest = OutboundEmail.objects.filter(user=user, template="summary_daily").latest("created_at")
    assert latest.subject == "Kokemustori: 1 new notice"
    assert f"/en/orders/{third.pk}/" in latest.body_text
    assert f"/en/orders/{first.pk}/" not in latest.body_text


def test_a_weekly_summary_waits_a_week_after_the_last():
    coordinator = coordinator_in_english()
    user = coordinator.user
    notices.set_preferences(user, {"order_submitted": Delivery.WEEKLY})
    submitted(coordinator)
    now = timezone.now()
    assert notices.send_summaries(now) == 1
    submitted(coordinator)
    assert notices.send_summaries(now + timedelta(days=6)) == 0
    assert notices.send_summaries(now + timedelta(days=7)) == 1


def test_the_bell_counts_unread_notices_and_opening_one_marks_it_read(client):
    coordinator = coordinator_in_english()
    order = submitted(coordinator)
    client.force_login(coordinator.user)
    page = client.get(reverse("notifications:notices")).content.decode()
    assert '<span class="badge">1<span class="visually-hidden"> unread</span></span>' in page
    notice = Notice.objects.get(user=coordinator.user)
    assert notice.subject in page

    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/en/orders/{order.pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    page = client.get(reverse("notifications:notices")).content.decode()
    assert 'class="badge"' not in page


def test_nobody_opens_or_marks_anothers_notice(client):
    coordinator = coordinator_in_english()
    submitted(coordinator)
    notice = Notice.objects.get(user=coordinator.user)
    client.force_login(CoordinatorFactory().user)
    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[notice.pk])).status_code == 404
    client.post(reverse("notifications:mark_all_read"))
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_one_and_mark_all_read(client):
    coordinator = coordinator_in_english()
    submitted(coordinator)
    submitted(coordinator)
    client.force_login(coordinator.user)
    first, second = Notice.objects.filter(user=coordinator.user).order_by("pk")
    client.post(reverse("notifications:mark_read", args=[first.pk]))
    assert list(notices.unread(coordinator.user)) == [second]
    client.post(reverse("notifications:mark_all_read"))
    assert not notices.unread(coordinator.user).exists()


def test_the_preferences_page_saves_each_choice_and_keeps_them_on_an_error(client):
    coordinator = coordinator_in_english()
    client.force_login(coordinator.user)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    data = dict.fromkeys(notices.preferences(coordinator.user), Delivery.NOW)
    data["offer_accepted"] = Delivery.WEEKLY
    data["order_submitted"] = "carrier-pigeon"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    assert b"Choose one of the ways in the list." in response.content
    assert b'<option value="weekly" selected>' in response.content
    assert not NoticePreference.objects.filter(user=coordinator.user).exists()

    data["order_submitted"] = Delivery.PRODUCT
    client.post(reverse("notifications:preferences"), data)
    assert notices.preferences(coordinator.user)["offer_accepted"] == Delivery.WEEKLY
    assert notices.delivery_for(coordinator.user, "order_submitted") == Delivery.PRODUCT
    assert notices.delivery_for(coordinator.user, "agreement_to_accept") == Delivery.NOW


def test_my_data_shows_the_notices_and_erasure_removes_them():
    coordinator = coordinator_in_english()
    user = coordinator.user
    notices.set_preferences(user, {"order_submitted": Delivery.DAILY})
    submitted(coordinator)
    sections = {s.key: s for s in collect(user)}
    assert len(sections["notices"].items) == 2  # the notice and the one preference
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    result = erase(user, actor=user)
    assert result.counts["notices"] == 1
    assert not Notice.objects.filter(user_id=user.pk).exists()
    assert not NoticePreference.objects.filter(user_id=user.pk).exists()


def test_each_person_is_asked_only_about_the_notices_of_their_roles():
    coordinator = coordinator_in_english()
    kinds = list(notices.preferences(coordinator.user))
    assert kinds == [
        "agreement_cancelled",
        "order_submitted",
        "order_rematch",
        "order_cancelled",
        "offer_accepted",
        "support_requested",
    ]
    expert = ExpertFactory()
    assert list(notices.preferences(expert.user)) == [
        "offer_received",
        "agreement_to_accept",
        "agreement_cancelled",
        "order_cancelled",
        "reminder_assignment",
        "reminder_debrief",
    ]
    assert notices.preferences(UserFactory()) == {}
