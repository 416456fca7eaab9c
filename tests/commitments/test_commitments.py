"""Onboarding commitments through the pages: trainings taken in modules of one programme
add up for a kind, and the confidentiality commitment is signed in the service, versioned,
and named in the agreement."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kokemustori.commitments.models import ConfidentialityText, Signature, TrainingProgramme
from kokemustori.experts.models import ExpertStatus, KindApplication, TrainingRecord
from kokemustori.kinds import ExpertKind, TrainingType
from kokemustori.offers.models import FeeType, OfferState
from kokemustori.orders.models import OrderState
from tests.factories import (
    CoordinatorFactory,
    ExpertFactory,
    KindApplicationFactory,
    TrainingFactory,
)
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db


def applicant_with_modules(coordinator, first, second, organiser_two="Recovery Academy"):
    """An applicant for the trained-expert kind with two verified modules:
    `first` and `second` are (hours, start, end)."""
    application = KindApplicationFactory(
        expert__organisation=coordinator.organisation, kind=ExpertKind.TRAINED_EXPERT
    )
    expert = application.expert
    modules = [
        TrainingFactory(
            expert=expert,
            organiser=organiser,
            training_type=TrainingType.EXPERT,
            hours=Decimal(hours),
            start_date=start,
            end_date=end,
            status=TrainingRecord.VERIFIED,
        )
        for organiser, (hours, start, end) in (
            ("Recovery Academy", first),
            (organiser_two, second),
        )
    ]
    return expert, application, modules


def grant(client, expert, application):
    return client.post(
        reverse("experts:decide_kind", args=[expert.pk, application.pk]),
        {"decision": "grant", "reason": ""},
    )


def test_modules_of_one_programme_add_up_for_the_trained_expert_kind(client):
    coordinator = CoordinatorFactory()
    # 30 h + 25 h: neither alone reaches 50 h; 10 Jan to 20 May is four whole months.
    expert, application, modules = applicant_with_modules(
        coordinator,
        ("30", date(2025, 1, 10), date(2025, 3, 1)),
        ("25", date(2025, 3, 15), date(2025, 5, 20)),
    )
    client.force_login(coordinator.user)
    grant(client, expert, application)
    application.refresh_from_db()
    assert application.status == KindApplication.APPLIED  # refused: no training qualifies

    response = client.post(
        reverse("commitments:programme", args=[expert.pk]),
        {"name": "Basic and continuation", "trainings": [m.pk for m in modules]},
    )
    assert response.status_code == 302
    programme = TrainingProgramme.objects.get(expert=expert)
    assert programme.verified_by == coordinator.user
    page = client.get(reverse("commitments:programme", args=[expert.pk])).content.decode()
    assert "Basic and continuation, Recovery Academy, 55 h in 2 modules" in page

    response = grant(client, expert, application)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == KindApplication.GRANTED
    assert application.training == modules[1]  # the programme is kept as its last module
    assert application.reason == (
        "Verified training: Basic and continuation, Recovery Academy, 55 h in 2 modules."
    )
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.ACTIVE


def test_a_programme_over_three_months_is_refused_for_the_trained_expert_kind(client):
    coordinator = CoordinatorFactory()
    # 60 h in all, but 10 Jan to 5 May is three whole months; the kind needs four.
    expert, application, modules = applicant_with_modules(
        coordinator,
        ("30", date(2025, 1, 10), date(2025, 2, 28)),
        ("30", date(2025, 3, 10), date(2025, 5, 5)),
    )
    client.force_login(coordinator.user)
    client.post(
        reverse("commitments:programme", args=[expert.pk]),
        {"name": "Short course", "trainings": [m.pk for m in modules]},
    )
    assert TrainingProgramme.objects.filter(expert=expert).count() == 1
    response = grant(client, expert, application)
    assert response.status_code == 400
    assert "The training must be spread over at least 4 months." in response.content.decode()
    application.refresh_from_db()
    assert application.status == KindApplication.APPLIED


def test_modules_of_different_organisers_are_not_one_programme(client):
    coordinator = CoordinatorFactory()
    expert, _application, modules = applicant_with_modules(
        coordinator,
        ("30", date(2025, 1, 10), date(2025, 3, 1)),
        ("25", date(2025, 3, 15), date(2025, 5, 20)),
        organiser_two="Another school",
    )
    client.force_login(coordinator.user)
    response = client.post(
        reverse("commitments:programme", args=[expert.pk]),
        {"name": "Mixed", "trainings": [m.pk for m in modules]},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The modules of one programme have the same organiser." in body
    assert 'value="Mixed"' in body  # the typed name is kept
    assert not TrainingProgramme.objects.exists()


def test_an_unverified_module_does_not_add_up(client):
    coordinator = CoordinatorFactory()
    expert, _application, modules = applicant_with_modules(
        coordinator,
        ("30", date(2025, 1, 10), date(2025, 3, 1)),
        ("25", date(2025, 3, 15), date(2025, 5, 20)),
    )
    TrainingRecord.objects.filter(pk=modules[1].pk).update(status=TrainingRecord.PENDING)
    client.force_login(coordinator.user)
    response = client.post(
        reverse("commitments:programme", args=[expert.pk]),
        {"name": "Basic and continuation", "trainings": [m.pk for m in modules]},
    )
    assert response.status_code == 400
    assert "Verify each module first" in response.content.decode()


def test_another_organisations_coordinator_cannot_combine_modules(client):
    coordinator = CoordinatorFactory()
    expert, _application, modules = applicant_with_modules(
        coordinator,
        ("30", date(2025, 1, 10), date(2025, 3, 1)),
        ("25", date(2025, 3, 15), date(2025, 5, 20)),
    )
    client.force_login(CoordinatorFactory().user)
    response = client.post(
        reverse("commitments:programme", args=[expert.pk]),
        {"name": "Basic and continuation", "trainings": [m.pk for m in modules]},
    )
    assert response.status_code == 404
    assert not TrainingProgramme.objects.exists()


# Confidentiality ------------------------------------------------------------------------------


def publish(client, coordinator, text):
    client.force_login(coordinator.user)
    return client.post(reverse("commitments:texts"), {"text": text})


def test_the_coordinator_publishes_versions_of_the_commitment(client):
    coordinator = CoordinatorFactory()
    assert publish(client, coordinator, "I keep what I hear to myself.").status_code == 302
    assert publish(client, coordinator, "I keep what I hear, and what I read, to myself.")
    texts = list(
        ConfidentialityText.objects.filter(organisation=coordinator.organisation)
        .order_by("version")
        .values_list("version", "text", "published_by")
    )
    assert texts == [
        (1, "I keep what I hear to myself.", coordinator.user.pk),
        (2, "I keep what I hear, and what I read, to myself.", coordinator.user.pk),
    ]
    assert publish(client, coordinator, "").status_code == 400


def test_an_expert_signs_and_the_agreement_refers_to_the_signed_version(client):
    coordinator = CoordinatorFactory()
    organisation = coordinator.organisation
    publish(client, coordinator, "I keep what I hear to myself.")
    expert = ExpertFactory(organisation=organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
    offer = offer_to(order, expert, coordinator)

    # Unsigned: the offer page says so and accepting is refused.
    client.force_login(expert.user)
    page = client.get(reverse("offers:detail", args=[offer.pk])).content.decode()
    assert "Read and sign the commitment" in page
    client.post(reverse("offers:detail", args=[offer.pk]), {"fee_type": FeeType.WAGE})
    offer.refresh_from_db()
    assert offer.state == OfferState.OPEN

    page = client.get(reverse("commitments:sign")).content.decode()
    assert "I keep what I hear to myself." in page
    response = client.post(reverse("commitments:sign"), {"version": "1"})
    assert response.status_code == 400  # the box is not ticked
    response = client.post(reverse("commitments:sign"), {"version": "1", "agree": "on"})
    assert response.status_code == 302
    signature = Signature.objects.get(expert=expert)
    assert (signature.text.version, signature.signed_by) == (1, expert.user)

    client.post(reverse("offers:detail", args=[offer.pk]), {"fee_type": FeeType.WAGE})
    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED
    signed_on = signature.signed_at.astimezone().strftime("%d.%m.%Y")
    assert offer.agreement.confidentiality.endswith(
        f"Kokemusosaaja on allekirjoittanut organisaation {organisation.name} "
        f"vaitiolositoumuksen (versio 1) {signed_on}."
    )


def test_a_new_version_must_be_signed_again_and_an_old_one_is_refused(client):
    coordinator = CoordinatorFactory()
    publish(client, coordinator, "Version one.")
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    client.force_login(expert.user)
    client.post(reverse("commitments:sign"), {"version": "1", "agree": "on"})
    publish(client, coordinator, "Version two.")
    client.force_login(expert.user)
    response = client.post(reverse("commitments:sign"), {"version": "1", "agree": "on"})
    assert response.status_code == 400
    assert "The commitment was changed while you were reading it." in response.content.decode()
    assert Signature.objects.filter(expert=expert).count() == 1
    client.post(reverse("commitments:sign"), {"version": "2", "agree": "on"})
    assert sorted(
        Signature.objects.filter(expert=expert).values_list("text__version", flat=True)
    ) == [1, 2]


def test_an_applicant_without_a_kind_cannot_sign_yet(client):
    coordinator = CoordinatorFactory()
    publish(client, coordinator, "Version one.")
    application = KindApplicationFactory(expert__organisation=coordinator.organisation)
    client.force_login(application.expert.user)
    response = client.post(reverse("commitments:sign"), {"version": "1", "agree": "on"})
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_only_coordinators_publish(client):
    expert = ExpertFactory(kinds=[ExpertKind.TRAINED_EXPERT])
    client.force_login(expert.user)
    assert client.post(reverse("commitments:texts"), {"text": "Mine."}).status_code == 403
    assert not ConfidentialityText.objects.exists()
