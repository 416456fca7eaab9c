"""The audit log: every view of a full profile, export and change of a kind, agreement or fee
leaves an event; the organisation's coordinators read it; nobody can change it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from kokemustori.agreements import services as agreement_services
from kokemustori.audit.log import record
from kokemustori.audit.models import Action, AuditEvent
from kokemustori.fees import services as fee_services
from tests.factories import (
    CoordinatorFactory,
    ExpertFactory,
    OrdererFactory,
    OrganisationFactory,
)
from tests.factories.fees import accepted_agreement

pytestmark = pytest.mark.django_db

LEGAL_FIRST, LEGAL_LAST = "Auditfirst", "Auditlast"


def actions(expert):
    return list(AuditEvent.objects.filter(expert=expert).values_list("action", flat=True))


@pytest.fixture
def agreement_world():
    coordinator = CoordinatorFactory()
    expert = ExpertFactory(
        organisation=coordinator.organisation,
        kinds=["trained_expert"],
        user__first_name=LEGAL_FIRST,
        user__last_name=LEGAL_LAST,
    )
    agreement, coordinator = accepted_agreement(
        coordinator=coordinator, expert=expert, accept=False
    )
    return agreement, coordinator, expert


def test_agreement_and_fee_changes_are_logged_without_names(client, agreement_world):
    agreement, coordinator, expert = agreement_world
    assert Action.AGREEMENT_CREATED in actions(expert)

    agreement_services.accept(agreement.order.orderer.user, agreement)
    agreement_services.accept(expert.user, agreement)
    assert actions(expert).count(Action.AGREEMENT_ACCEPTED) == 2
    fee = agreement.fee_record
    assert Action.FEE_CREATED in actions(expert)

    fee_services.set_expenses(expert.user, fee, Decimal("12.50"), "bus")
    fee_services.approve(coordinator.user, fee)
    fee_services.mark_paid(coordinator.user, fee)
    logged = actions(expert)
    for action in (Action.FEE_EXPENSES_SET, Action.FEE_APPROVED, Action.FEE_PAID):
        assert action in logged

    client.force_login(expert.user)
    assert client.get(reverse("agreements:pdf", args=[agreement.pk])).status_code == 200
    assert Action.AGREEMENT_DOWNLOADED in actions(expert)

    for event in AuditEvent.objects.filter(expert=expert):
        assert event.organisation_id == expert.organisation_id
        assert LEGAL_FIRST not in event.detail and LEGAL_LAST not in event.detail


def test_a_cancellation_is_logged_with_who(agreement_world):
    agreement, coordinator, expert = agreement_world
    agreement_services.cancel(coordinator.user, agreement, "The expert fell ill.")
    event = AuditEvent.objects.get(expert=expert, action=Action.AGREEMENT_CANCELLED)
    assert event.actor == coordinator.user
    assert "ill" not in event.detail  # the reason may be personal; it stays on the agreement


def test_coordinators_read_their_own_organisations_log_only(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    coordinator = CoordinatorFactory(organisation=mine)
    own = ExpertFactory(organisation=mine, user__first_name="Ownexpert")
    other = ExpertFactory(organisation=theirs, user__first_name="Otherexpert")
    record(coordinator.user, Action.PROFILE_VIEWED, expert=own)
    record(CoordinatorFactory(organisation=theirs).user, Action.KIND_GRANTED, expert=other)

    client.force_login(coordinator.user)
    response = client.get(reverse("audit:log"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ownexpert" in body
    assert "Otherexpert" not in body
    assert [e.expert for e in response.context["page"].object_list] == [own]


def test_the_log_can_be_filtered_and_bad_filters_are_explained(client):
    coordinator = CoordinatorFactory()
    expert = ExpertFactory(organisation=coordinator.organisation)
    record(coordinator.user, Action.PROFILE_VIEWED, expert=expert)
    record(coordinator.user, Action.KIND_GRANTED, expert=expert)
    client.force_login(coordinator.user)

    response = client.get(reverse("audit:log"), {"action": Action.KIND_GRANTED})
    assert [e.action for e in response.context["page"].object_list] == [Action.KIND_GRANTED]

    bad = client.get(reverse("audit:log"), {"date_from": "yesterday", "action": "nonsense"})
    assert bad.status_code == 200
    assert bad.context["form"].errors.keys() == {"date_from", "action"}
    assert 'value="yesterday"' in bad.content.decode()  # what was typed is kept


def test_the_log_is_filtered_by_the_experts_it_names(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    coordinator = CoordinatorFactory(organisation=mine)
    aino = ExpertFactory(organisation=mine, user__first_name="Aino", user__last_name="Aalto")
    bertta = ExpertFactory(organisation=mine, user__first_name="Bertta", user__last_name="Berg")
    other = ExpertFactory(organisation=theirs, user__first_name="Otherexpert")
    record(coordinator.user, Action.PROFILE_VIEWED, expert=aino)
    record(coordinator.user, Action.KIND_GRANTED, expert=bertta)
    record(CoordinatorFactory(organisation=theirs).user, Action.PROFILE_VIEWED, expert=other)
    client.force_login(coordinator.user)

    page = client.get(reverse("audit:log"))
    choices = [label for value, label in page.context["form"].fields["expert"].choices if value]
    assert choices == [f"Aino Aalto (#{aino.pk})", f"Bertta Berg (#{bertta.pk})"]

    response = client.get(reverse("audit:log"), {"expert": bertta.pk})
    assert [e.expert for e in response.context["page"].object_list] == [bertta]

    # Another organisation's expert is not a choice: refused, and nothing about them shown.
    refused = client.get(reverse("audit:log"), {"expert": other.pk})
    assert refused.context["form"].errors.keys() == {"expert"}
    assert not refused.context["page"].object_list
    assert "Otherexpert" not in refused.content.decode()


def test_dates_the_wrong_way_round_are_explained(client):
    coordinator = CoordinatorFactory()
    record(
        coordinator.user,
        Action.PROFILE_VIEWED,
        expert=ExpertFactory(organisation=coordinator.organisation),
    )
    client.force_login(coordinator.user)
    response = client.get(
        reverse("audit:log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"] == ["The end date is before the start date."]
    assert not response.context["page"].object_list
    body = response.content.decode()
    assert 'value="2026-05-02"' in body and 'value="2026-05-01"' in body


@pytest.mark.parametrize("who", ["expert", "orderer", "anonymous"])
def test_others_cannot_read_the_log(client, who):
    coordinator = CoordinatorFactory()
    expert = ExpertFactory(organisation=coordinator.organisation, user__first_name="Secretname")
    record(coordinator.user, Action.PROFILE_VIEWED, expert=expert)
    if who == "expert":
        client.force_login(expert.user)
    elif who == "orderer":
        client.force_login(OrdererFactory().user)
    response = client.get(reverse("audit:log"))
    if who == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    assert "Secretname" not in response.content.decode()


def test_the_log_is_never_edited(client):
    coordinator = CoordinatorFactory()
    event = record(coordinator.user, Action.PROFILE_VIEWED, expert=ExpertFactory())
    event.detail = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    client.force_login(coordinator.user)
    assert client.post(reverse("audit:log"), {"detail": "x"}).status_code == 405
    event.refresh_from_db()
    assert event.detail == ""


@pytest.mark.parametrize(
    ("detail", "language", "shown"),
    [
        ("agreement 4, order 8", "fi", "sopimus 4, tilaus 8"),
        ("fee record 3: 250.00 €", "sv", "arvodesuppgift 3, 250,00\u00a0€"),
        ("fee record 3: 250.00 €", "en", "fee record 3, €250.00"),
        ("training 12", "en", "training record 12"),
        ("json of user 5: offers 3", "fi", "json of user 5: offers 3"),  # as written
    ],
)
def test_details_are_shown_in_the_readers_language(detail, language, shown):
    event = record(CoordinatorFactory().user, Action.AGREEMENT_CREATED, detail=detail)
    with translation.override(language):
        assert event.readable_detail() == shown
