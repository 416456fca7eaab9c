"""Retention: refused applications and closed orders' personal details are removed after the
configured periods (kokemustori.privacy.retention), once, and `manage.py periodic` runs it.
Time is moved by passing `now`, not by freezing the clock."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kokemustori.agreements import services as agreement_services
from kokemustori.audit.models import Action, AuditEvent
from kokemustori.experts import registry
from kokemustori.experts.models import Expert, ExpertStatus
from kokemustori.fees.models import FeeRecord
from kokemustori.followup import services as followup
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.notifications.models import ReminderKind, ReminderSent
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType, Offer
from kokemustori.orders import workflow
from kokemustori.orders.models import Order, OrderEvent, OrderState
from kokemustori.privacy.retention import purge_expired
from tests.factories import (
    CoordinatorFactory,
    ExpertFactory,
    ExpertKind,
    KindApplicationFactory,
    OrdererFactory,
)
from tests.factories.orders import order_in_state

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def later(days):
    return timezone.now() + days * DAY


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.RETENTION_DAYS_REFUSED_APPLICATIONS = 365
    settings.RETENTION_DAYS_CLOSED_ORDERS = 730


def refused_applicant(coordinator, **user):
    application = KindApplicationFactory(
        expert__organisation=coordinator.organisation,
        expert__phone="040 555 0000",
        kind=ExpertKind.DEVELOPER_CLIENT,
        **{f"expert__user__{k}": v for k, v in user.items()},
    )
    registry.refuse_kind(coordinator.user, application, "Not now, thank you.")
    expert = Expert.objects.get(pk=application.expert_id)
    assert expert.status == ExpertStatus.REFUSED
    return expert


# Refused applications -----------------------------------------------------------------------


def test_a_refused_application_is_erased_after_its_period_with_the_account(coordinator):
    expert = refused_applicant(coordinator)
    waiting = ExpertFactory(organisation=coordinator.organisation, status=ExpertStatus.SUBMITTED)
    approved = ExpertFactory(organisation=coordinator.organisation)

    assert purge_expired(later(364)).applications == 0
    assert Expert.objects.filter(pk=expert.pk).exists()

    result = purge_expired(later(366))
    assert result.applications == 1
    assert not Expert.objects.filter(pk=expert.pk).exists()
    assert not get_user_model().objects.filter(pk=expert.user_id).exists()
    assert Expert.objects.filter(pk__in=[waiting.pk, approved.pk]).count() == 2
    event = AuditEvent.objects.get(action=Action.RETENTION_PURGED)
    assert event.actor is None and event.organisation == coordinator.organisation
    # The record names what went, never the person (their phone number, say).
    assert "deleted" in event.detail and "040 555 0000" not in event.detail

    assert purge_expired(later(800)).applications == 0  # nothing twice
    assert AuditEvent.objects.filter(action=Action.RETENTION_PURGED).count() == 1


def test_the_period_counts_from_the_last_decision_and_applying_again_stops_it(coordinator):
    expert = refused_applicant(coordinator)
    registry.submit_application(expert, [ExpertKind.DEVELOPER_CLIENT])
    assert purge_expired(later(400)).applications == 0
    assert Expert.objects.get(pk=expert.pk).status == ExpertStatus.SUBMITTED


def test_an_applicant_who_also_orders_keeps_the_account(coordinator):
    expert = refused_applicant(coordinator)
    orderer = OrdererFactory(user=expert.user)
    assert purge_expired(later(366)).applications == 1
    assert not Expert.objects.filter(pk=expert.pk).exists()
    orderer.refresh_from_db()
    assert orderer.user.is_active and orderer.user.email == expert.user.email


def test_the_period_comes_from_the_settings(settings, coordinator):
    settings.RETENTION_DAYS_REFUSED_APPLICATIONS = 30
    expert = refused_applicant(coordinator)
    assert purge_expired(later(31)).applications == 1
    assert not Expert.objects.filter(pk=expert.pk).exists()


@pytest.mark.parametrize("days", [0, -5])
def test_a_period_under_one_day_is_a_configuration_error(settings, days):
    settings.RETENTION_DAYS_CLOSED_ORDERS = days
    with pytest.raises(ImproperlyConfigured):
        purge_expired()


# Closed orders --------------------------------------------------------------------------------


CONTACT = {
    "contact_name": "Maija Contact",
    "contact_phone": "040 777 1234",
    "contact_email": "maija.contact@example.org",
    "remote_link": "https://meet.example.org/maija",
    "access_notes": "The expert uses a wheelchair.",
}


def closed_order(coordinator=None):
    """An order through the whole path to CLOSED, with a debrief, feedback, a reminder."""
    order, coordinator = order_in_state(OrderState.MATCHING, coordinator=coordinator, **CONTACT)
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    offer = offer_services.send_offers(
        order, [expert], actor=coordinator.user, message="Dear Anna, this suits you.", reasons={}
    )[0]
    agreement = offer_services.accept(expert.user, offer.pk, FeeType.WORK_COMPENSATION)
    agreement_services.accept(order.orderer.user, agreement)
    agreement_services.accept(expert.user, agreement)
    followup.record_planning_meeting(
        coordinator.user, order, timezone.now() - DAY, "Anna opens with her story."
    )
    workflow.transition(order, "complete", actor=coordinator.user)
    Order.objects.filter(pk=order.pk).update(starts_at=timezone.now() - timedelta(hours=5))
    order.refresh_from_db()
    followup.record_debrief(
        expert.user,
        order,
        expert,
        timezone.now() - timedelta(hours=1),
        "Coordinator Kaisa",
        feelings="PRIVATE: I was shaking",
        evaluation="It went well.",
    )
    followup.give_feedback(
        order.orderer.user,
        order,
        expert,
        Feedback.ORDERER_ON_ASSIGNMENT,
        overall=5,
        comment="Anna was wonderful.",
    )
    ReminderSent.objects.create(order=order, user=expert.user, kind=ReminderKind.DEBRIEF)
    workflow.transition(order, "close", actor=coordinator.user)
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED
    return order, coordinator, agreement


def test_a_closed_order_loses_its_personal_details_after_the_period(client):
    order, coordinator, agreement = closed_order()
    fee = FeeRecord.objects.get(agreement=agreement)
    agreement_before = {f.name: getattr(agreement, f.name) for f in agreement._meta.concrete_fields}
    assert purge_expired(later(729)).orders == 0

    assert purge_expired(later(731)).orders == 1

    order.refresh_from_db()
    for name in CONTACT:
        assert getattr(order, name) == "", name
    assert order.planning_notes == "" and order.debrief_by == ""
    assert order.title and order.starts_at and order.task_type_id  # what agreements need
    assert not OrderEvent.objects.filter(order=order).exclude(reason="").exists()
    assert OrderEvent.objects.filter(order=order).count() > 5  # the steps and times stay
    debrief = Debrief.objects.get(order=order)
    assert (debrief.feelings, debrief.evaluation, debrief.held_by) == ("", "", "")
    assert not Feedback.objects.filter(order=order).exclude(comment="").exists()
    assert Feedback.objects.get(order=order).overall == 5  # scores stay for the aggregates
    offer = Offer.objects.get(order=order)
    assert (offer.message, offer.match_reasons) == ("", "")
    assert not ReminderSent.objects.filter(order=order).exists()

    # The agreement and the fee record are untouched and still render.
    agreement.refresh_from_db()
    assert {f.name: getattr(agreement, f.name) for f in agreement._meta.concrete_fields} == (
        agreement_before
    )
    assert FeeRecord.objects.get(pk=fee.pk).fee_amount == fee.fee_amount
    client.force_login(coordinator.user)
    assert client.get(reverse("agreements:pdf", args=[agreement.pk])).status_code == 200
    assert client.get(reverse("fees:export")).status_code == 200
    assert client.get(reverse("orders:detail", args=[order.pk])).status_code == 200

    event = AuditEvent.objects.get(action=Action.RETENTION_PURGED)
    assert event.detail.startswith("closed orders 1:") and "Anna" not in event.detail

    # Idempotent: nothing is found again, nothing more is recorded.
    assert purge_expired(later(900)).orders == 0
    assert AuditEvent.objects.filter(action=Action.RETENTION_PURGED).count() == 1


def test_cancelled_and_declined_orders_count_from_when_they_ended():
    cancelled, coordinator = order_in_state(OrderState.SUBMITTED, **CONTACT)
    declined, _ = order_in_state(OrderState.DECLINED, coordinator=coordinator, **CONTACT)
    in_progress, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator, **CONTACT)
    draft = OrdererFactory().orders.create(title="A draft", **CONTACT)
    workflow.transition(cancelled, "cancel", actor=cancelled.orderer.user, reason="No budget.")
    # The step into the final state is what counts, not the order's creation.
    OrderEvent.objects.filter(order__in=[cancelled, declined]).exclude(
        action__in=["cancel", "decline"]
    ).update(at=timezone.now() - 2000 * DAY)

    assert purge_expired(later(729)).orders == 0
    assert purge_expired(later(731)).orders == 2
    for order in (cancelled, declined):
        order.refresh_from_db()
        assert order.contact_email == "" and order.access_notes == ""
        assert not order.events.exclude(reason="").exists()
    for order in (in_progress, draft):
        order.refresh_from_db()
        assert order.contact_email == CONTACT["contact_email"]


def test_the_periodic_command_runs_the_retention_and_says_what_it_did(settings):
    settings.RETENTION_DAYS_CLOSED_ORDERS = 1
    order, _ = order_in_state(OrderState.DECLINED, **CONTACT)
    OrderEvent.objects.filter(order=order).update(at=timezone.now() - 3 * DAY)
    out = StringIO()
    call_command("periodic", stdout=out)
    assert "closed orders anonymised: 1" in out.getvalue()
    assert "refused applications erased: 0" in out.getvalue()
    order.refresh_from_db()
    assert order.contact_name == ""
    out = StringIO()
    call_command("periodic", stdout=out)
    assert "closed orders anonymised: 0" in out.getvalue()


def test_a_refused_application_and_a_closed_order_in_one_run():
    coordinator = CoordinatorFactory()
    refused_applicant(coordinator)
    order_in_state(OrderState.DECLINED, coordinator=coordinator, **CONTACT)
    result = purge_expired(later(800))
    assert (result.applications, result.orders, result.total) == (1, 1, 2)
