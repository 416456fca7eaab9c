"""A series' fee records in the coordinator's list of fees: approved and marked paid there like
any fee record, by the coordinators of the expert's own organisation only, each step in the
audit log. An approved record no longer changes with the attendance."""

import pytest
from django.urls import reverse
from django.utils import translation

from kokemustori.audit.models import Action, AuditEvent
from kokemustori.series.models import SeriesFee
from tests.factories import CoordinatorFactory
from tests.series.test_series import _held, agree, bind, make_series

pytestmark = pytest.mark.django_db


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def attended(client):
    """An expert attended the first meeting of a series: one pending fee record of 80 €."""
    series, coordinator = make_series(client)
    expert, offer, _response = agree(client, series, coordinator)
    agreement = bind(offer.agreement)
    first = series.meetings.first()
    _held(first, 3)
    client.force_login(coordinator.user)
    response = client.post(en("series:attendance", first.pk), {f"status_{expert.pk}": "attended"})
    assert response.status_code == 302
    fee = SeriesFee.objects.get(agreement=agreement)
    assert fee.status == "pending"
    return series, coordinator, expert, agreement, fee


def test_the_coordinator_approves_and_pays_a_series_fee_from_the_fee_list(client, attended):
    series, coordinator, expert, agreement, fee = attended
    client.force_login(coordinator.user)
    page = client.get(en("fees:list")).content.decode()
    assert "Fees for the meetings of a series" in page
    assert agreement.expert_legal_name in page
    assert series.order.title in page
    assert f'action="{en("series:approve_fee", fee.pk)}"' in page

    back = en("fees:list") + "?status=pending"
    response = client.post(en("series:approve_fee", fee.pk), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    fee.refresh_from_db()
    assert (fee.status, fee.approved_by) == ("approved", coordinator.user)
    assert fee.approved_at is not None
    event = AuditEvent.objects.get(action=Action.FEE_APPROVED)
    assert event.detail == f"series fee record {fee.pk}: 80.00 €"
    assert event.expert == expert

    # Attendance changed afterwards: the approved record stays as approved.
    first = series.meetings.first()
    client.post(en("series:attendance", first.pk), {f"status_{expert.pk}": "excused"})
    assert list(SeriesFee.objects.filter(agreement=agreement).values_list("pk", "status")) == [
        (fee.pk, "approved")
    ]

    # An off-site "next" is not followed.
    response = client.post(en("series:fee_paid", fee.pk), {"next": "https://evil.example/"})
    assert response["Location"] == en("fees:list")
    fee.refresh_from_db()
    assert (fee.status, fee.paid_by) == ("paid", coordinator.user)
    assert AuditEvent.objects.filter(action=Action.FEE_PAID, expert=expert).count() == 1

    # Paid once is enough: the second time is refused with the reason, nothing changes.
    response = client.post(en("series:fee_paid", fee.pk), follow=True)
    assert "Only an approved fee can be marked paid. This one is paid." in (
        response.content.decode()
    )
    assert AuditEvent.objects.filter(action=Action.FEE_PAID).count() == 1

    # The list's status filter applies to the series' records too.
    assert (
        agreement.expert_legal_name in client.get(en("fees:list") + "?status=paid").content.decode()
    )
    pending = client.get(en("fees:list") + "?status=pending").content.decode()
    assert "Fees for the meetings of a series" not in pending


def test_only_the_experts_own_coordinators_approve_a_series_fee(client, attended):
    series, coordinator, expert, agreement, fee = attended
    other = CoordinatorFactory()
    client.force_login(other.user)
    assert client.post(en("series:approve_fee", fee.pk)).status_code == 404
    assert "Fees for the meetings of a series" not in client.get(en("fees:list")).content.decode()
    # The orderer runs the series but does not pay its experts.
    client.force_login(series.order.orderer.user)
    assert client.post(en("series:approve_fee", fee.pk)).status_code == 404
    client.force_login(expert.user)
    assert client.post(en("series:fee_paid", fee.pk)).status_code == 404
    fee.refresh_from_db()
    assert fee.status == "pending"
    assert not AuditEvent.objects.filter(action=Action.FEE_APPROVED).exists()
