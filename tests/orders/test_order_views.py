from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kokemustori.orders.models import Order, OrderEvent, OrderState
from kokemustori.orders.steps import step_of
from kokemustori.tasktypes.models import TaskType
from tests.factories import (
    CoordinatorFactory,
    LanguageFactory,
    OrdererFactory,
    RegionFactory,
    UserFactory,
)
from tests.factories.orders import OrderFactory, order_in_state, post_steps

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def complete_post(**overrides):
    lecture = TaskType.objects.get(slug="lecture")
    language = LanguageFactory(slug="fi", name="Finnish")
    starts = timezone.localtime() + timedelta(days=20)
    data = {
        "task_type": lecture.pk,
        "title": "Living with bipolar disorder",
        "audience": "students",
        "audience_size": "35",
        "audience_notes": "First-year social work students.",
        "topic_delimitation": "Everyday life and work.",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "location": "Room 101, Campus street 1",
        "region": RegionFactory(name="Uusimaa").pk,
        "language": language.pk,
        "experts_needed": "1",
        "expectations": "A 30-minute talk of your own story, then questions.",
        "event_minutes": "90",
        "preparation_minutes": "60",
        "planning_minutes": "30",
        "debrief_minutes": "20",
        "travel_minutes": "0",
        "fee_choice": "offered",
        "fee_amount": "200",
        "travel_costs": "Public transport reimbursed.",
        "planning_meeting": "on",
        "debrief_by": "Lecturer Liisa",
        "debrief_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "access_arrangements": ["materials"],
        "contact_name": "Liisa Lehtori",
        "contact_email": "liisa@example.org",
    }
    data.update(overrides)
    return data


def test_only_orderers_may_order(client):
    client.force_login(UserFactory())
    assert client.get(url("orders:create")).status_code == 403
    client.logout()
    assert client.get(url("orders:create")).status_code == 302


def test_draft_saves_whatever_is_typed(client):
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    response = client.post(url("orders:create"), {"title": "Half-written order", "save": "1"})
    order = Order.objects.get(orderer=orderer)
    assert response.status_code == 302
    assert order.state == OrderState.DRAFT
    assert order.title == "Half-written order"


def test_sending_an_incomplete_order_names_each_missing_item_and_keeps_the_draft(client):
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    data = complete_post(expectations="", debrief_by="", travel_costs="")
    order, response = post_steps(client, data, send=True)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Describe what is expected of the expert" in html
    assert "Say who holds the debrief" in html
    assert "Say how travel and other costs are reimbursed" in html
    assert "Living with bipolar disorder" in html  # what was saved is shown
    order = Order.objects.get(orderer=orderer)
    assert order.state == OrderState.DRAFT
    assert order.title == "Living with bipolar disorder"


def test_a_complete_order_is_sent(client):
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    order, response = post_steps(client, complete_post(), send=True)
    assert response.status_code == 302
    assert response["Location"] == url("orders:detail", order.pk)
    assert order.state == OrderState.SUBMITTED
    assert OrderEvent.objects.filter(order=order, action="submit", actor=orderer.user).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("starts_at", "next tuesday"),
        ("event_minutes", "-5"),
        ("fee_amount", "a lot"),
        ("audience_size", "10000000"),
        ("remote_link", "not a link"),
        ("task_type", "999999"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_lost(client, field, value):
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    order, _response = post_steps(client, complete_post())
    section = step_of(field).slug
    typed = complete_post(**{field: value}, title="Changed", expectations="Changed")
    response = client.post(url("orders:form_step", order.pk, section), typed)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="field-{field}"' in body
    assert "has-error" in body
    assert f'href="#id_{field}"' in body  # the error summary links to the field
    if field != "task_type":  # a choice that does not exist cannot be shown as chosen
        assert f'value="{value}"' in body
    order.refresh_from_db()
    assert order.title == "Living with bipolar disorder"
    assert order.expectations == "A 30-minute talk of your own story, then questions."


def test_debrief_before_the_assignment_is_refused(client):
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    starts = timezone.localtime() + timedelta(days=5)
    data = complete_post(
        starts_at=starts.strftime("%Y-%m-%dT%H:%M"),
        debrief_at=(starts - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    _order, response = post_steps(client, data)
    assert response.status_code == 200
    assert "The debrief is held after the assignment" in response.content.decode()


def test_coordinator_asks_for_changes_and_the_orderer_sees_why(client):
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    client.force_login(coordinator.user)
    response = client.post(url("orders:step", order.pk, "ask_changes"), {"reason": ""})
    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED  # a reason is required
    client.post(url("orders:step", order.pk, "ask_changes"), {"reason": "Which room?"})
    order.refresh_from_db()
    assert order.state == OrderState.NEEDS_CHANGES
    client.force_login(order.orderer.user)
    response = client.get(url("orders:edit", order.pk), follow=True)
    assert "Which room?" in response.content.decode()
    response = client.get(url("orders:detail", order.pk))
    assert "Which room?" in response.content.decode()


def test_a_refused_step_keeps_the_reason_that_was_typed(client):
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    client.force_login(coordinator.user)
    typed = "Which room? " * 200  # longer than the 2000 characters a reason may have
    response = client.post(url("orders:step", order.pk, "ask_changes"), {"reason": typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert f">{typed}</textarea>" in body.replace("&#x27;", "'")
    assert "at most 2000 characters" in body
    assert 'id="reason-ask_changes" name="reason"' in body
    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED


def test_coordinator_declines_with_a_reason(client):
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    client.force_login(coordinator.user)
    client.post(url("orders:step", order.pk, "decline"), {"reason": "Not our field."})
    order.refresh_from_db()
    assert order.state == OrderState.DECLINED


def test_orderer_cannot_take_coordinator_steps(client):
    order, _ = order_in_state(OrderState.SUBMITTED)
    client.force_login(order.orderer.user)
    client.post(url("orders:step", order.pk, "accept"))
    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED


def test_orders_are_private_to_the_parties(client):
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    for outsider in (OrdererFactory().user, CoordinatorFactory().user, UserFactory()):
        client.force_login(outsider)
        assert client.get(url("orders:detail", order.pk)).status_code == 404
        assert (
            client.post(url("orders:step", order.pk, "cancel"), {"reason": "x"}).status_code == 404
        )
    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED
    client.force_login(coordinator.user)
    assert client.get(url("orders:detail", order.pk)).status_code == 200


def test_network_orders_reach_every_coordinator(client):
    order = OrderFactory(organisation=None)
    from kokemustori.orders import workflow

    workflow.transition(order, "submit", actor=order.orderer.user)
    coordinator = CoordinatorFactory()
    client.force_login(coordinator.user)
    response = client.get(url("orders:inbox"))
    assert order.title in response.content.decode()
    assert client.get(url("orders:detail", order.pk)).status_code == 200


def test_edit_only_while_draft_or_changes_asked(client):
    order, _ = order_in_state(OrderState.SUBMITTED)
    client.force_login(order.orderer.user)
    assert client.get(url("orders:edit", order.pk)).status_code == 403
    title = order.title
    refused = client.post(
        url("orders:form_step", order.pk, "what"), {"title": "Changed after sending"}
    )
    assert refused.status_code == 403
    assert client.post(url("orders:check", order.pk), {"submit": "1"}).status_code == 403
    order.refresh_from_db()
    assert order.title == title
    assert order.state == OrderState.SUBMITTED

    # When the coordinator asks for changes, the orderer may edit again.
    asked, _ = order_in_state(OrderState.NEEDS_CHANGES)
    client.force_login(asked.orderer.user)
    assert client.get(url("orders:edit", asked.pk), follow=True).status_code == 200
