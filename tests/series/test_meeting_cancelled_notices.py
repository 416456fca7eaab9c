"""Cancelling one meeting of a series tells the series' people: each expert agreed on it, the
orderer and the other coordinators in charge, in their own language, with the meeting's time
and the reason. The series goes on."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from kokemustori.agreements import services as agreement_services
from kokemustori.notifications.models import Notice
from kokemustori.orders.models import Order
from kokemustori.series.models import MeetingState
from tests.factories import CoordinatorFactory, ExpertFactory, ExpertKind
from tests.series.test_series import YEAR, agree, bind, make_series

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL.rstrip("/")
REASON = "The hall is being renovated."


def to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def expert_speaking(coordinator, language):
    return ExpertFactory(
        organisation=coordinator.organisation,
        kinds=[ExpertKind.TRAINED_EXPERT],
        user__language=language,
    )


@pytest.fixture
def series_with_three(client):
    """A series with three experts: Swedish- and Finnish-speaking ones agreed, and one who
    withdrew."""
    series, coordinator = make_series(client)
    Order.objects.filter(pk=series.order_id).update(experts_needed=3)
    swedish = expert_speaking(coordinator, "sv")
    finnish = expert_speaking(coordinator, "fi")
    withdrew = expert_speaking(coordinator, "en")
    for expert in (swedish, finnish, withdrew):
        _expert, offer, response = agree(client, series, coordinator, expert=expert)
        assert response.status_code == 302
        agreement = bind(offer.agreement)
        if expert is withdrew:
            agreement_services.cancel(expert.user, agreement, "")
    orderer = series.order.orderer.user
    orderer.language = "en"
    orderer.save(update_fields=["language"])
    colleague = CoordinatorFactory(organisation=coordinator.organisation, user__language="fi")
    return series, coordinator, swedish, finnish, withdrew, colleague


def test_the_experts_orderer_and_other_coordinators_are_told_in_their_language(
    client, series_with_three, sent_after_commit
):
    series, coordinator, swedish, finnish, withdrew, colleague = series_with_three
    second = series.meetings.all()[1]  # 24.3. at 13:00, Helsinki time
    mail.outbox.clear()
    client.force_login(coordinator.user)
    with sent_after_commit():
        response = client.post(
            reverse("series:cancel_meeting", args=[second.pk]), {"reason": REASON}
        )
    assert response.status_code == 302

    series_path = f"/series/{series.pk}/"
    [sv] = to(swedish.user)
    assert sv.subject == f"Kokemustori: Ett möte den {YEAR}-03-24 inställt: {series.order.title}"
    assert f"Det inställda mötet: 24 mars {YEAR} 13:00" in sv.body
    assert REASON in sv.body
    assert "Inget arvode betalas för det inställda mötet." in sv.body
    assert f"{SITE}/sv{series_path}" in sv.body

    [fi] = to(finnish.user)
    assert fi.subject == f"Kokemustori: Tapaaminen 24.3.{YEAR} peruttu: {series.order.title}"
    assert f"Peruttu tapaaminen: 24. maaliskuuta {YEAR} kello 13.00" in fi.body
    assert REASON in fi.body
    assert f"{SITE}/fi{series_path}" in fi.body

    [en] = to(series.order.orderer.user)
    assert en.subject == f"Kokemustori: A meeting on 03/24/{YEAR} cancelled: {series.order.title}"
    assert "The series and its other meetings go on as agreed." in en.body
    assert f"The cancelled meeting: March 24, {YEAR}, 1 p.m." in en.body
    assert REASON in en.body
    assert "No fee is paid" not in en.body  # the fee is the experts' business
    assert f"{SITE}/en{series_path}" in en.body

    assert len(to(colleague.user)) == 1
    # Nobody is told of their own step, and the expert who withdrew is no longer part of it.
    assert to(coordinator.user) == []
    assert to(withdrew.user) == []
    # Each e-mail is a notice in the service too.
    assert Notice.objects.filter(kind="series_meeting_cancelled").count() == 4
    notice = Notice.objects.get(kind="series_meeting_cancelled", user=swedish.user)
    assert notice.link == f"/sv{series_path}"

    # The series goes on.
    states = list(series.meetings.values_list("state", flat=True))
    assert states == [
        MeetingState.PLANNED,
        MeetingState.CANCELLED,
        MeetingState.PLANNED,
        MeetingState.PLANNED,
    ]


def test_a_refused_cancellation_tells_nobody(client, series_with_three, sent_after_commit):
    series, coordinator, *_ = series_with_three
    meeting = series.meetings.first()
    mail.outbox.clear()
    client.force_login(coordinator.user)
    with sent_after_commit():
        response = client.post(reverse("series:cancel_meeting", args=[meeting.pk]), {"reason": ""})
    assert response.status_code == 400
    assert mail.outbox == []
    assert not Notice.objects.filter(kind="series_meeting_cancelled").exists()
