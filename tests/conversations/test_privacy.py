"""Messages in a person's own data (My data) and in their erasure."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kokemustori.audit.models import Action, AuditEvent
from kokemustori.conversations import services
from kokemustori.conversations.models import Message, ReadMark, Thread
from kokemustori.kinds import ExpertKind
from kokemustori.orders import workflow
from kokemustori.orders.models import OrderState
from kokemustori.privacy import erasure
from kokemustori.privacy.retention import purge_expired
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory, UserFactory
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db

HEALTH = "PRIVATE-MESSAGE: my medication makes me tired in the mornings"


def offered(**order_kwargs):
    order, coordinator = order_in_state(OrderState.MATCHING, **order_kwargs)
    coordinator.user.first_name, coordinator.user.last_name = "Colette", "Coordinator"
    coordinator.user.save()
    expert = ExpertFactory(
        organisation=coordinator.organisation,
        kinds=[ExpertKind.TRAINED_EXPERT],
        uses_pseudonym=True,
        pseudonym="Kettu-7",
        user=UserFactory(first_name="Legal", last_name="Lastname"),
    )
    offer_to(order, expert, coordinator)
    return order, coordinator.user, expert


def test_the_experts_data_holds_their_thread_naming_nobody_else(client):
    order, coordinator, expert = offered()
    services.post(coordinator, services.thread_of(order, expert), "Could you tell us more?")
    services.post(expert.user, Thread.objects.get(), HEALTH)
    client.force_login(expert.user)
    data = json.loads(client.get(reverse("privacy:my_data_download")).content)
    rows = [(m["who"], m["message"], m["conversation"]) for m in data["messages"]]
    assert rows == [
        ("a coordinator", "Could you tell us more?", "your conversation with the coordinators"),
        ("you", HEALTH, "your conversation with the coordinators"),
    ]
    assert "Colette" not in json.dumps(data["messages"])
    summary = client.get(reverse("privacy:my_data"))
    assert HEALTH in summary.text


def test_the_orderers_data_holds_what_they_wrote_only(client):
    order, coordinator, _expert = offered()
    services.post(order.orderer.user, services.thread_of(order), "Is there a lift?")
    services.post(coordinator, Thread.objects.get(), "Yes, by the main door.")
    client.force_login(order.orderer.user)
    data = json.loads(client.get(reverse("privacy:my_data_download")).content)
    assert [(m["who"], m["message"]) for m in data["messages"]] == [("you", "Is there a lift?")]


def test_an_erased_expert_takes_their_threads_with_them(client):
    order, coordinator, expert = offered()
    services.post(expert.user, services.thread_of(order, expert), HEALTH)
    services.post(coordinator, Thread.objects.get(), "Thank you, Kettu-7. Rest well.")
    services.post(order.orderer.user, services.thread_of(order), "Will Legal Lastname come?")
    erasure.erase(expert.user, actor=expert.user)
    assert not Thread.objects.filter(expert_id=expert.pk).exists()
    assert not Message.objects.filter(body__contains="PRIVATE-MESSAGE").exists()
    # Another person's message naming the expert keeps its sense, not the name.
    assert Message.objects.get().body == "Will *** come?"


def test_an_erased_orderers_messages_stay_as_from_a_removed_user(client):
    order, coordinator, _expert = offered()
    orderer = order.orderer.user
    orderer.first_name, orderer.last_name = "Olli", "Orderer"
    orderer.save()
    services.post(orderer, services.thread_of(order), "Olli here. Is there a lift?")
    thread = Thread.objects.get()
    services.post(coordinator, thread, "Yes, Olli Orderer, by the main door.")
    workflow.transition(order, "cancel", actor=orderer, reason="No longer needed.")
    erasure.erase(orderer, actor=orderer)

    own, reply = Message.objects.order_by("created_at", "pk")
    assert (own.author_id, own.body, own.removed) == (None, "", True)
    assert reply.body == "Yes, ***, by the main door."
    assert not ReadMark.objects.filter(user_id=orderer.pk).exists()
    client.force_login(coordinator)
    page = client.get(reverse("conversations:order_thread", args=[order.pk]))
    assert page.status_code == 200
    assert "removed user" in page.text
    assert "The message was removed." in page.text
    assert "Olli" not in page.text


def test_a_coordinators_erasure_of_the_expert_removes_the_threads_too(client):
    order, coordinator, expert = offered()
    services.post(expert.user, services.thread_of(order, expert), HEALTH)
    OrdererFactory(user=expert.user)  # the same person also orders: the account stays
    erasure.erase(
        expert.user,
        actor=CoordinatorFactory(organisation=expert.organisation).user,
        expert_only=True,
    )
    assert not Thread.objects.filter(expert_id=expert.pk).exists()
    assert not Message.objects.exists()


def test_a_closed_orders_conversations_go_after_the_retention_period(settings):
    settings.RETENTION_DAYS_CLOSED_ORDERS = 730
    order, coordinator, expert = offered()
    services.post(order.orderer.user, services.thread_of(order), "Is there a lift?")
    services.post(expert.user, services.thread_of(order, expert), HEALTH)
    open_order, _coordinator, _expert = offered()
    services.post(open_order.orderer.user, services.thread_of(open_order), "Still going")
    workflow.transition(order, "cancel", actor=order.orderer.user, reason="Plans changed.")
    now = timezone.now()

    assert purge_expired(now + timedelta(days=729)).orders == 0
    assert Thread.objects.filter(order=order).count() == 2

    assert purge_expired(now + timedelta(days=731)).orders == 1
    assert not Thread.objects.filter(order=order).exists()
    assert list(Message.objects.values_list("body", flat=True)) == ["Still going"]
    event = AuditEvent.objects.get(action=Action.RETENTION_PURGED)
    assert "messages 2" in event.detail
    assert "lift" not in event.detail
