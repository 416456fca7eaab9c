"""A series' attendance and fee records, and the commitments (a signed confidentiality text, a
programme of modules), in the expert's own data and in their erasure
(kokemustori.privacy.export and erasure)."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kokemustori.agreements.models import Agreement
from kokemustori.commitments import services as commitments
from kokemustori.commitments.models import ConfidentialityText, Signature, TrainingProgramme
from kokemustori.experts.models import Expert, TrainingRecord
from kokemustori.kinds import TrainingType
from kokemustori.orders.models import Order, OrderEvent, OrderState
from kokemustori.privacy import erasure
from kokemustori.series import services as series_services
from kokemustori.series.models import Attendance, AttendanceStatus, Meeting, SeriesFee
from tests.factories import CoordinatorFactory, ExpertFactory, ExpertKind, TrainingFactory
from tests.series.test_series import agree, bind, make_series

pytestmark = pytest.mark.django_db

COMMITMENT = "I keep to myself what I hear of the clients at the panel."


def held(meeting, days_ago):
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(days=days_ago)
    )
    meeting.refresh_from_db()


def signed_expert(coordinator, first, last):
    expert = ExpertFactory(
        organisation=coordinator.organisation,
        kinds=[ExpertKind.TRAINED_EXPERT],
        user__first_name=first,
        user__last_name=last,
    )
    text = commitments.current_text(coordinator.organisation)
    commitments.sign(expert.user, expert, text.version)
    return expert


@pytest.fixture
def panel(client):
    """Two experts on one series, each signed the commitment; Vilja attended the first
    meeting, was excused from the second (the third was cancelled for her), and has a
    programme of two modules. Ilmari attended both."""
    series, coordinator = make_series(client)
    Order.objects.filter(pk=series.order_id).update(experts_needed=2)
    ConfidentialityText.objects.create(
        organisation=coordinator.organisation, version=1, text=COMMITMENT
    )
    vilja = signed_expert(coordinator, "Vilja", "Qorhonen")
    ilmari = signed_expert(coordinator, "Ilmari", "Zettervall")
    agreements = {}
    for expert in (vilja, ilmari):
        _expert, offer, response = agree(client, series, coordinator, expert=expert)
        assert response.status_code == 302
        agreements[expert.pk] = bind(offer.agreement)
    first, second, third, _fourth = series.meetings.all()
    held(first, 30)
    held(second, 10)
    series_services.record_attendance(
        coordinator.user,
        first,
        {vilja.pk: (AttendanceStatus.ATTENDED, True), ilmari.pk: (AttendanceStatus.ATTENDED, True)},
    )
    series_services.record_attendance(
        coordinator.user,
        second,
        {vilja.pk: (AttendanceStatus.EXCUSED, False), ilmari.pk: (AttendanceStatus.ATTENDED, True)},
    )
    series_services.cancel_meeting(
        coordinator.user, third, "Vilja Qorhonen and Ilmari Zettervall are both away."
    )
    modules = [
        TrainingFactory(
            expert=vilja,
            organiser="Recovery Academy",
            training_type=TrainingType.EXPERT,
            hours=Decimal(hours),
            start_date=start,
            end_date=end,
            status=TrainingRecord.VERIFIED,
        )
        for hours, start, end in (
            ("40", date(2025, 1, 10), date(2025, 3, 1)),
            ("30", date(2025, 4, 1), date(2025, 5, 30)),
        )
    ]
    commitments.combine(coordinator.user, vilja, modules, "Basic and continuation")
    # The series is over: nothing ahead stops an erasure.
    Order.objects.filter(pk=series.order_id).update(state=OrderState.DONE)
    return series, coordinator, vilja, ilmari, agreements


def test_my_data_holds_the_experts_attendance_series_fees_and_signature_only(client, panel):
    series, coordinator, vilja, ilmari, agreements = panel
    client.force_login(vilja.user)
    response = client.get(reverse("privacy:my_data_download"))
    assert response.status_code == 200
    text = response.content.decode()
    data = json.loads(text)

    first, second = series.meetings.all()[:2]
    assert [
        (a["meeting_starts_at"], a["status"], a["debriefed"]) for a in data["series_attendance"]
    ] == [
        (timezone.localtime(first.starts_at).isoformat(), "attended", True),
        (timezone.localtime(second.starts_at).isoformat(), "excused", False),
    ]
    assert {a["order_id"] for a in data["series_attendance"]} == {series.order_id}
    assert [
        (f["agreement_id"], f["period_start"], f["meetings"], f["fee_amount"], f["status"])
        for f in data["series_fees"]
    ] == [
        (
            agreements[vilja.pk].pk,
            timezone.localtime(first.starts_at).date().isoformat(),
            1,
            "80.00",
            "pending",
        )
    ]
    [signature] = data["confidentiality_signatures"]
    assert signature["version"] == 1
    assert signature["text"] == COMMITMENT
    assert signature["organisation"] == coordinator.organisation.name
    [programme] = data["training_programmes"]
    assert programme["name"] == "Basic and continuation"
    assert len(programme["modules"]) == 2
    # Nothing of the other expert of the series: not their attendance, fees or signature,
    # and not the reason of the cancelled meeting, which names them.
    assert "Zettervall" not in text
    assert "Ilmari" not in text
    assert len(data["series_fees"]) == 1 and len(data["confidentiality_signatures"]) == 1

    # The summary page shows the same, under its headings.
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "Your attendance at the meetings of a series" in page
    assert "Fees for the meetings of a series" in page
    assert "Confidentiality commitments you signed" in page
    assert COMMITMENT in page
    assert "Zettervall" not in page


def test_erasure_keeps_the_series_fees_and_attended_meetings_and_removes_the_rest(panel):
    series, coordinator, vilja, ilmari, agreements = panel
    fee_before = list(
        SeriesFee.objects.filter(expert=vilja).values_list(
            "meeting_id", "fee_amount", "status", "period_start"
        )
    )
    assert len(fee_before) == 1

    result = erasure.erase(vilja.user, actor=vilja.user)

    # Kept: the agreement and its series fee record, unchanged, on the nameless expert row.
    assert (result.expert, result.account) == ("anonymised", "anonymised")
    assert Agreement.objects.filter(pk=agreements[vilja.pk].pk).exists()
    assert (
        list(
            SeriesFee.objects.filter(expert=vilja).values_list(
                "meeting_id", "fee_amount", "status", "period_start"
            )
        )
        == fee_before
    )
    # Of attendance only "attended" stays, the basis of that fee record, without the debrief.
    first = series.meetings.all()[0]
    assert list(
        Attendance.objects.filter(expert=vilja).values_list("meeting_id", "status", "debriefed")
    ) == [(first.pk, "attended", False)]
    # Gone: the signature and the programme.
    assert not Signature.objects.filter(expert=vilja).exists()
    assert not TrainingProgramme.objects.filter(expert=vilja).exists()
    # The name is off the cancelled meeting's reason and its note on the timeline.
    third = series.meetings.all()[2]
    assert third.cancellation_reason == "*** and Ilmari Zettervall are both away."
    note = OrderEvent.objects.get(order=series.order, action="series_meeting_cancelled")
    assert note.reason.endswith(": *** and Ilmari Zettervall are both away.")
    # The counts in the audit log.
    assert result.counts["confidentiality_signatures"] == 1
    assert result.counts["training_programmes"] == 1
    assert result.counts["series_attendance"] == 1
    assert result.counts["series_attendance_kept"] == 1

    # The other expert of the series keeps everything.
    assert list(
        Attendance.objects.filter(expert=ilmari)
        .order_by("meeting__starts_at")
        .values_list("status", "debriefed")
    ) == [("attended", True), ("attended", True)]
    assert SeriesFee.objects.filter(expert=ilmari).count() == 2
    assert Signature.objects.filter(expert=ilmari).count() == 1


def test_an_expert_who_only_signed_the_commitment_is_deleted_entirely():
    coordinator = CoordinatorFactory()
    ConfidentialityText.objects.create(
        organisation=coordinator.organisation, version=1, text=COMMITMENT
    )
    expert = signed_expert(coordinator, "Vilja", "Qorhonen")
    user_pk, expert_pk = expert.user_id, expert.pk

    result = erasure.erase(expert.user, actor=expert.user)

    assert (result.expert, result.account) == ("deleted", "deleted")
    assert not Expert.objects.filter(pk=expert_pk).exists()
    assert not Signature.objects.exists()
    # The organisation's text stays: it is not the expert's.
    assert ConfidentialityText.objects.filter(organisation=coordinator.organisation).count() == 1
    assert result.detail().startswith(f"user {user_pk}: account deleted")
