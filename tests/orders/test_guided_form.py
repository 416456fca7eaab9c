"""The guided order form, step by step: each step saves the draft, a draft resumes where
something is missing, the check page shows everything and sends (orders.views)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from kokemustori.orderers.models import Verification
from kokemustori.orders.models import Order, OrderState
from kokemustori.tasktypes.models import TaskType
from tests.factories import CoordinatorFactory, OrdererFactory, UserFactory
from tests.factories.orders import OrderFactory, order_in_state

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def step(order, section):
    return url("orders:form_step", order.pk, section)


def body(response):
    return response.content.decode()


@pytest.fixture
def orderer(client):
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    return orderer


def test_step_one_shows_where_the_orderer_is_and_marks_what_sending_needs(client, orderer):
    page = body(client.get(url("orders:create")))
    assert "Step 1 of 5" in page
    assert '<li aria-current="step" class="current"><span>What and when</span></li>' in page
    assert page.count('aria-current="step"') == 1
    assert 'name="title" maxlength="200" required aria-required="true"' in page
    assert '<select name="task_type" required aria-required="true"' in page
    assert 'name="region" required aria-required="true"' in page
    assert 'name="alternative_times"' in page and 'name="alternative_times" required' not in page
    # In the step's own order, not the model's.
    assert page.index('name="task_type"') < page.index('name="title"')
    assert page.index('name="title"') < page.index('name="organisation"')
    assert page.index('name="location"') < page.index('name="region"')
    # Questions of later steps are not on this one.
    assert 'name="expectations"' not in page
    assert 'name="working_group"' not in page


def test_saving_step_one_makes_a_draft_and_goes_on_to_step_two(client, orderer):
    response = client.post(url("orders:create"), {"title": "Half-written order"})
    order = Order.objects.get(orderer=orderer)
    assert order.state == OrderState.DRAFT
    assert order.title == "Half-written order"
    assert order.contact_email == orderer.user.email  # the orderer is the contact to start with
    assert response["Location"] == step(order, "role")


def test_step_one_without_a_title_saves_nothing_and_keeps_what_was_typed(client, orderer):
    response = client.post(url("orders:create"), {"title": "", "location": "Hall B"})
    assert response.status_code == 200
    page = body(response)
    assert '<div class="error-summary"' in page
    assert 'href="#id_title"' in page
    assert 'value="Hall B"' in page
    assert not Order.objects.exists()


def test_a_lecture_is_asked_about_its_topic_not_about_a_working_group(client, orderer):
    order = OrderFactory(orderer=orderer)
    page = body(client.get(step(order, "role")))
    assert "Step 2 of 5" in page
    assert 'name="topic_delimitation"' in page
    assert 'name="working_group"' not in page
    assert 'name="client_has_agreed"' not in page
    development = OrderFactory(
        orderer=orderer, task_type=TaskType.objects.get(slug="working-group")
    )
    page = body(client.get(step(development, "role")))
    assert 'name="working_group"' in page
    assert 'name="topic_delimitation"' not in page


def test_a_step_saves_its_own_fields_and_leaves_the_others(client, orderer):
    order = OrderFactory(orderer=orderer, expectations="", event_minutes=None)
    response = client.post(
        step(order, "role"),
        {
            "expectations": "Tell your story.",
            "event_minutes": "1 h 30 min",
            "preparation_minutes": "1:15",
            "debrief_minutes": "20 min",
            "travel_minutes": "0",
            "title": "Not on this step",
        },
    )
    assert response["Location"] == step(order, "fee")
    order.refresh_from_db()
    assert order.expectations == "Tell your story."
    assert (order.event_minutes, order.preparation_minutes, order.debrief_minutes) == (90, 75, 20)
    assert order.planning_minutes is None  # left empty: saved as empty, listed on the check page
    assert order.title == "Recovery from depression: a lecture for nursing students"
    page = body(client.get(step(order, "role")))
    assert 'value="1 h 30 min"' in page
    assert 'value="1 h 15 min"' in page


def test_a_time_that_cannot_be_read_is_refused_beside_its_field_and_kept(client, orderer):
    order = OrderFactory(orderer=orderer)
    response = client.post(step(order, "role"), {"event_minutes": "an hour or so"})
    assert response.status_code == 200
    page = body(response)
    assert 'id="id_event_minutes_error"' in page
    assert "hours and minutes (1 h 30 min)" in page
    assert 'value="an hour or so"' in page
    order.refresh_from_db()
    assert order.event_minutes == 90


def test_the_last_step_goes_to_the_check_page_and_later_goes_to_my_orders(client, orderer):
    order = OrderFactory(orderer=orderer)
    data = {"access_arrangements": ["materials"], "contact_name": "Maija Malli"}
    assert client.post(step(order, "access"), data)["Location"] == url("orders:check", order.pk)
    later = client.post(step(order, "fee"), {"fee_choice": "offered", "later": "1"})
    assert later["Location"] == url("orders:list")
    assert [str(m) for m in get_messages(later.wsgi_request)] == [
        "Draft saved. You can continue later."
    ]


def test_coming_back_resumes_at_the_first_step_with_a_gap(client, orderer):
    order = OrderFactory(orderer=orderer, travel_costs="")
    assert client.get(url("orders:edit", order.pk))["Location"] == step(order, "fee")
    order.travel_costs = "Tickets reimbursed."
    order.save()
    assert client.get(url("orders:edit", order.pk))["Location"] == url("orders:check", order.pk)


def test_drafts_are_listed_with_a_link_to_continue(client, orderer):
    order = OrderFactory(orderer=orderer, title="My unfinished order")
    page = body(client.get(url("orders:list")))
    assert f'href="{url("orders:edit", order.pk)}"' in page
    assert "Continue filling in" in page


def test_the_check_page_shows_everything_with_an_edit_link_per_section(client, orderer):
    order = OrderFactory(orderer=orderer, event_minutes=150)
    page = body(client.get(url("orders:check", order.pk)))
    for section in ("what", "role", "fee", "debrief", "access"):
        assert f'href="{step(order, section)}">Edit' in page
    assert "<dd>Recovery from depression: a lecture for nursing students</dd>" in page
    assert "<dd>2 h 30 min</dd>" in page
    assert "<dd>Teacher Maija Malli</dd>" in page
    assert "Still missing" not in page
    assert 'name="submit"' in page


def test_the_check_page_lists_what_blocks_sending_in_form_order_with_links(client, orderer):
    order = OrderFactory(orderer=orderer, contact_name="", debrief_by="", region=None)
    page = body(client.get(url("orders:check", order.pk)))
    region = page.index(f'href="{step(order, "what")}#id_region"')
    debrief = page.index(f'href="{step(order, "debrief")}#id_debrief_by"')
    contact = page.index(f'href="{step(order, "access")}#id_contact_name"')
    assert region < debrief < contact
    assert "Still missing before you can send" in page


def test_sending_from_the_check_page(client, orderer):
    order = OrderFactory(orderer=orderer)
    response = client.post(url("orders:check", order.pk), {"submit": "1"})
    assert response["Location"] == url("orders:detail", order.pk)
    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED


def test_an_incomplete_order_is_not_sent_and_says_why(client, orderer):
    order = OrderFactory(orderer=orderer, debrief_by="")
    response = client.post(url("orders:check", order.pk), {"submit": "1"})
    assert response.status_code == 400
    assert "Say who holds the debrief after the assignment." in body(response)
    order.refresh_from_db()
    assert order.state == OrderState.DRAFT


def test_an_unverified_orderer_keeps_the_draft_but_cannot_send(client):
    orderer = OrdererFactory(verification=Verification.PENDING)
    client.force_login(orderer.user)
    order = OrderFactory(orderer=orderer)
    page = body(client.get(url("orders:check", order.pk)))
    assert 'name="submit"' not in page
    response = client.post(url("orders:check", order.pk), {"submit": "1"})
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.state == OrderState.DRAFT


def test_an_order_whose_changes_were_asked_is_edited_in_steps_and_sent_again(client):
    order, _coordinator = order_in_state(OrderState.NEEDS_CHANGES)
    client.force_login(order.orderer.user)
    assert client.get(url("orders:edit", order.pk))["Location"] == url("orders:check", order.pk)
    page = body(client.get(step(order, "what")))
    assert "Add the room number." in page
    data = {
        "title": order.title,
        "task_type": order.task_type_id,
        "audience": order.audience,
        "starts_at": timezone.localtime(order.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "language": order.language_id,
        "location": "Lecture hall A, room 204, Vaasa",
        "region": order.region_id,
        "experts_needed": "1",
    }
    assert client.post(step(order, "what"), data).status_code == 302
    client.post(url("orders:check", order.pk), {"submit": "1"})
    order.refresh_from_db()
    assert order.location == "Lecture hall A, room 204, Vaasa"
    assert order.state == OrderState.SUBMITTED


def test_others_cannot_open_or_change_the_steps(client):
    order = OrderFactory(title="Private draft")
    paths = [step(order, "what"), step(order, "fee"), url("orders:check", order.pk)]
    for outsider, status in ((OrdererFactory().user, 404), (UserFactory(), 404)):
        client.force_login(outsider)
        for path in paths:
            assert client.get(path).status_code == status, path
            assert client.post(path, {"title": "Taken over", "submit": "1"}).status_code == status
    coordinator = CoordinatorFactory()
    order.organisation = coordinator.organisation
    order.save()
    client.force_login(coordinator.user)
    for path in paths:
        assert client.get(path).status_code == 403, path
        assert client.post(path, {"title": "Taken over", "submit": "1"}).status_code == 403
    client.logout()
    assert client.get(paths[0])["Location"].startswith("/en/accounts/login/")
    order.refresh_from_db()
    assert (order.title, order.state) == ("Private draft", OrderState.DRAFT)


def test_a_sent_order_is_not_edited_in_steps(client):
    order, _coordinator = order_in_state(OrderState.SUBMITTED)
    client.force_login(order.orderer.user)
    assert client.get(step(order, "what")).status_code == 403
    assert client.post(url("orders:check", order.pk), {"submit": "1"}).status_code == 403


def test_an_unknown_step_is_not_found(client, orderer):
    order = OrderFactory(orderer=orderer)
    assert client.get(step(order, "nonsense")).status_code == 404


def test_the_debrief_step_refuses_a_debrief_before_the_assignment(client, orderer):
    order = OrderFactory(orderer=orderer)
    before = timezone.localtime(order.starts_at) - timedelta(days=1)
    response = client.post(
        step(order, "debrief"),
        {"debrief_by": "Maija", "debrief_at": before.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 200
    assert "The debrief is held after the assignment, not before." in body(response)


def test_what_was_entered_is_shown_escaped_on_the_check_page(client, orderer):
    markup = "<script>alert(1)</script>"
    order = OrderFactory(orderer=orderer, title=markup, expectations=markup, debrief_by=markup)
    page = body(client.get(url("orders:check", order.pk)))
    assert "<script>alert(1)</script>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3
