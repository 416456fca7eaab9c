"""Factories for the ordering path. `complete_order()` makes an order that passes every
completeness check; `order_in_state()` walks it there through the real workflow."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.urls import reverse
from django.utils import timezone, translation

from kokemustori.offers import services as offer_services
from kokemustori.orders import workflow
from kokemustori.orders.models import FeeChoice, Order, OrderState
from kokemustori.orders.steps import STEPS
from kokemustori.tasktypes.eligibility import Audience
from kokemustori.tasktypes.models import TaskType
from tests.factories import CoordinatorFactory, LanguageFactory, OrdererFactory, RegionFactory


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    orderer = factory.SubFactory(OrdererFactory)
    organisation = None
    task_type = factory.LazyFunction(lambda: TaskType.objects.get(slug="lecture"))
    title = "Recovery from depression: a lecture for nursing students"
    audience = Audience.STUDENTS
    audience_size = 40
    audience_notes = "Second-year nursing students; some have experience of their own."
    topic_delimitation = "What helped in recovery, and how staff can support it."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    language = factory.LazyFunction(
        lambda: LanguageFactory(slug="fi", name="Finnish", name_fi="suomi")
    )
    location = "Lecture hall A, Vaasa"
    region = factory.SubFactory(RegionFactory, name="Ostrobothnia")
    experts_needed = 1
    expectations = "Tell your own story for 30 minutes, then answer questions."
    event_minutes = 90
    preparation_minutes = 120
    planning_minutes = 30
    debrief_minutes = 30
    travel_minutes = 60
    fee_choice = FeeChoice.OFFERED
    fee_amount = Decimal("250.00")
    travel_costs = "Train tickets reimbursed against receipts."
    planning_meeting = True
    debrief_by = "Teacher Maija Malli"
    debrief_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    access_arrangements = factory.LazyFunction(lambda: ["materials", "guidance"])
    contact_name = "Maija Malli"
    contact_email = "maija.malli@example.org"


def order_in_state(state: str, *, coordinator=None, **kwargs) -> tuple[Order, object]:
    """An order walked to `state` through the workflow. Returns (order, coordinator)."""
    order = OrderFactory(**kwargs)
    coordinator = coordinator or CoordinatorFactory()
    if order.organisation_id is None:
        order.organisation = coordinator.organisation
        order.save(update_fields=["organisation"])
    user = coordinator.user
    steps = {
        OrderState.DRAFT: [],
        OrderState.SUBMITTED: ["submit"],
        OrderState.NEEDS_CHANGES: ["submit", ("ask_changes", "Add the room number.")],
        OrderState.DECLINED: ["submit", ("decline", "We have no experts on this topic.")],
        OrderState.MATCHING: ["submit", "accept"],
    }[state]
    for step in steps:
        name, reason = step if isinstance(step, tuple) else (step, "")
        actor = order.orderer.user if name == "submit" else user
        workflow.transition(order, name, actor=actor, reason=reason)
    order.refresh_from_db()
    return order, coordinator


def offer_to(order, expert, coordinator):
    """Send one offer through the real service."""
    return offer_services.send_offers(order, [expert], actor=coordinator.user)[0]


__all__ = ["OrderFactory", "OrderState", "offer_to", "order_in_state"]


def post_steps(client, data, order=None, send=False):
    """Walk the guided order form as a browser does: each step's POST (each step takes only its
    own fields from `data`), then "Send the order" on the check page when `send`. Stops at the
    first step that is refused. Returns (order or None, the last response)."""
    with translation.override("en"):
        if order is None:
            response = client.post(reverse("orders:create"), data)
            if response.status_code != 302:
                return None, response
            order = Order.objects.filter(orderer__user=response.wsgi_request.user).latest("pk")
        for step in STEPS:
            response = client.post(reverse("orders:form_step", args=[order.pk, step.slug]), data)
            if response.status_code != 302:
                return order, response
        if send:
            response = client.post(reverse("orders:check", args=[order.pk]), {"submit": "1"})
    order.refresh_from_db()
    return order, response
