"""Notices in the service: each notification e-mail is a notice too, and each person chooses
per kind whether it is e-mailed at once, in a daily or weekly summary, or only shown here."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kokemustori.notifications import notices
from kokemustori.notifications.models import Delivery, Notice, NoticePreference
from kokemustori.orders import workflow
from kokemustori.outbox.models import OutboundEmail
from kokemustori.privacy.erasure import erase
from kokemustori.privacy.export import collect
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory, UserFactory
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
        "message_received",
        "series_meeting_cancelled",
    ]
    expert = ExpertFactory()
    assert list(notices.preferences(expert.user)) == [
        "offer_received",
        "agreement_to_accept",
        "agreement_cancelled",
        "agreement_changed",
        "order_cancelled",
        "reminder_assignment",
        "reminder_debrief",
        "message_received",
        "open_call",
        "open_call_closed",
        "series_meeting_cancelled",
        "commitment_to_sign",
    ]
    # New open calls come in the weekly summary unless the expert chooses otherwise.
    assert notices.preferences(expert.user)["open_call"] == "weekly"
    assert notices.preferences(expert.user)["open_call_closed"] == "now"
    assert notices.preferences(UserFactory()) == {}


def test_the_summary_reads_in_the_persons_language_line_by_line(settings):
    settings.SITE_URL = "https://kokemus.example/"
    coordinator = CoordinatorFactory()
    user = coordinator.user
    user.language = "fi"
    user.save(update_fields=["language"])
    notices.set_preferences(user, {"order_submitted": Delivery.DAILY})
    order = submitted(coordinator)
    notices.send_summaries(timezone.now())
    (summary,) = OutboundEmail.objects.filter(user=user, template="summary_daily")
    assert summary.language == "fi"
    assert summary.event == "summary_daily"
    assert summary.subject == "Kokemustori: 1 uusi ilmoitus"
    assert summary.body_text == (
        "Hei,\n"
        "\n"
        "Tässä mitä Kokemustorissa on tapahtunut edellisen koosteen jälkeen:\n"
        "\n"
        f"- Uusi tilaus käsiteltäväksi: {TITLE}\n"
        f"  https://kokemus.example/fi/orders/{order.pk}/\n"
        "\n"
        "Valitsit saada nämä koosteena. Voit muuttaa valintaa täällä: "
        "https://kokemus.example/fi/notifications/preferences/\n"
    )


def test_summaries_go_to_each_person_and_each_choice_in_one_run():
    first, second = coordinator_in_english(), coordinator_in_english()
    closed = coordinator_in_english()
    notices.set_preferences(first.user, {"order_submitted": Delivery.DAILY})
    notices.set_preferences(closed.user, {"order_submitted": Delivery.DAILY})
    notices.set_preferences(
        second.user, {"order_submitted": Delivery.WEEKLY, "order_cancelled": Delivery.DAILY}
    )
    submitted(closed)
    submitted(first)
    order = submitted(second)
    workflow.transition(order, "cancel", actor=order.orderer.user, reason="No longer needed.")
    type(closed.user).objects.filter(pk=closed.user.pk).update(is_active=False)
    assert notices.send_summaries(timezone.now()) == 3
    assert {
        (e.user_id, e.template)
        for e in OutboundEmail.objects.filter(template__startswith="summary_")
    } == {
        (first.user.pk, "summary_daily"),
        (second.user.pk, "summary_daily"),
        (second.user.pk, "summary_weekly"),
    }


def test_a_summary_takes_only_notices_up_to_its_time_oldest_first():
    coordinator = coordinator_in_english()
    user = coordinator.user
    notices.set_preferences(user, {"order_submitted": Delivery.DAILY})
    early, late, future = submitted(coordinator), submitted(coordinator), submitted(coordinator)
    now = timezone.now()
    by_order = {n.link: n for n in Notice.objects.filter(user=user)}
    Notice.objects.filter(pk=by_order[f"/en/orders/{early.pk}/"].pk).update(
        created_at=now - timedelta(hours=1)
    )
    Notice.objects.filter(pk=by_order[f"/en/orders/{late.pk}/"].pk).update(
        created_at=now - timedelta(hours=2)
    )
    Notice.objects.filter(pk=by_order[f"/en/orders/{future.pk}/"].pk).update(
        created_at=now + timedelta(minutes=5)
    )
    notices.send_summaries(now)
    (summary,) = OutboundEmail.objects.filter(user=user, template="summary_daily")
    body = summary.body_text
    assert body.index(f"/en/orders/{late.pk}/") < body.index(f"/en/orders/{early.pk}/")
    assert f"/en/orders/{future.pk}/" not in body


def test_each_persons_choices_are_their_own_and_unknown_ones_are_skipped():
    one, other = coordinator_in_english(), coordinator_in_english()
    notices.set_preferences(
        one.user,
        {
            "no_such_kind": Delivery.DAILY,
            "order_rematch": "carrier-pigeon",
            "order_submitted": Delivery.PRODUCT,
        },
    )
    assert notices.delivery_for(one.user, "order_submitted") == Delivery.PRODUCT
    assert notices.delivery_for(other.user, "order_submitted") == Delivery.NOW
    assert notices.preferences(one.user)["order_rematch"] == Delivery.NOW
    assert list(NoticePreference.objects.values_list("kind", flat=True)) == ["order_submitted"]


def test_an_orderer_is_asked_about_the_orderers_notices():
    orderer = OrdererFactory()
    assert list(notices.preferences(orderer.user)) == [
        "agreement_to_accept",
        "agreement_cancelled",
        "agreement_changed",
        "order_accepted",
        "order_changes_asked",
        "order_declined",
        "order_cancelled",
        "offer_accepted",
        "reminder_assignment",
        "reminder_debrief",
        "message_received",
        "series_meeting_cancelled",
    ]
    assert set(notices.preferences(orderer.user).values()) == {Delivery.NOW}


def test_long_texts_are_cut_to_what_the_notice_holds():
    user = UserFactory()
    notice = notices.record(
        user,
        kind="order_submitted",
        key="k" * 400,
        subject="s" * 400,
        link="/" + "l" * 400,
        delivery=Delivery.NOW,
    )
    notice.refresh_from_db()
    assert (len(notice.key), len(notice.subject), len(notice.link)) == (300, 300, 300)


def test_marking_one_notice_read_leaves_the_others():
    coordinator = coordinator_in_english()
    submitted(coordinator)
    submitted(coordinator)
    first, second = Notice.objects.filter(user=coordinator.user).order_by("pk")
    assert notices.mark_read(coordinator.user, second.pk) == second
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is None
    assert second.read_at is not None


def test_a_person_with_two_roles_is_asked_about_both():
    expert = ExpertFactory()
    OrdererFactory(user=expert.user)
    kinds = set(notices.preferences(expert.user))
    assert {"offer_received", "order_accepted", "reminder_debrief"} <= kinds
    assert "order_submitted" not in kinds


def test_a_notice_read_once_keeps_its_first_reading_time():
    coordinator = coordinator_in_english()
    submitted(coordinator)
    notice = Notice.objects.get(user=coordinator.user)
    first = notices.mark_read(coordinator.user, notice.pk).read_at
    assert notices.mark_read(coordinator.user, notice.pk).read_at == first


def test_a_summary_in_swedish_is_written_and_kept_in_swedish():
    coordinator = CoordinatorFactory()
    coordinator.user.language = "sv"
    coordinator.user.save(update_fields=["language"])
    notices.set_preferences(coordinator.user, {"order_submitted": Delivery.DAILY})
    submitted(coordinator)
    notices.send_summaries(timezone.now())
    (summary,) = OutboundEmail.objects.filter(user=coordinator.user, template="summary_daily")
    assert summary.language == "sv"
    assert summary.subject == "Kokemustori: 1 nytt meddelande"


def test_one_persons_recent_summary_does_not_hold_back_the_next_persons():
    waited, due = coordinator_in_english(), coordinator_in_english()
    nobody_to_mail = coordinator_in_english()
    for coordinator in (waited, due, nobody_to_mail):
        notices.set_preferences(coordinator.user, {"order_submitted": Delivery.DAILY})
    submitted(waited)
    now = timezone.now()
    assert notices.send_summaries(now) == 1  # the first summary goes
    submitted(waited)
    submitted(due)
    submitted(nobody_to_mail)
    type(nobody_to_mail.user).objects.filter(pk=nobody_to_mail.user.pk).update(email="")
    # An hour on: waited had one and must wait; due has had none; one has no address.
    assert notices.send_summaries(now + timedelta(hours=1)) == 1
    assert OutboundEmail.objects.filter(user=due.user, template="summary_daily").count() == 1


def test_notices_of_the_same_moment_keep_the_order_they_came_in():
    coordinator = coordinator_in_english()
    notices.set_preferences(coordinator.user, {"order_submitted": Delivery.DAILY})
    orders = [submitted(coordinator) for _ in range(3)]
    moment = timezone.now() - timedelta(minutes=1)
    Notice.objects.filter(user=coordinator.user).update(created_at=moment)
    notices.send_summaries(timezone.now())
    body = OutboundEmail.objects.get(user=coordinator.user, template="summary_daily").body_text
    places = [body.index(f"/en/orders/{order.pk}/") for order in orders]
    assert places == sorted(places)


def test_open_calls_come_weekly_unless_the_person_chooses_otherwise():
    expert = ExpertFactory()
    assert notices.delivery_for(expert.user, "open_call") == Delivery.WEEKLY
    assert notices.delivery_for(expert.user, "offer_received") == Delivery.NOW
    notices.set_preferences(expert.user, {"open_call": Delivery.NOW})
    assert notices.delivery_for(expert.user, "open_call") == Delivery.NOW


def test_an_expert_who_also_coordinates_is_asked_about_both():
    coordinator = CoordinatorFactory()
    ExpertFactory(user=coordinator.user, organisation=coordinator.organisation)
    kinds = set(notices.preferences(coordinator.user))
    assert {"offer_received", "order_submitted"} <= kinds
