"""After the assignment: planning meeting, debrief, feedback both ways, support, aggregates."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kokemustori.followup import aggregates, services
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.kinds import ExpertKind
from kokemustori.notifications import dispatch as notification_dispatch
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType
from kokemustori.orders import workflow
from kokemustori.orders.models import Order, OrderEvent, OrderState
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db

FEELINGS = "PRIVATE-FEELINGS: I was shaking afterwards"
EVALUATION = "PRIVATE-EVALUATION: the questions went too deep"
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def done_order(experts=1, *, expert_organisation=None, **kwargs):
    """An order walked to DONE through the real services, with `experts` accepted experts.

    The assignment is then moved into the past, as if its day had come and gone.
    """
    order, coordinator = order_in_state(OrderState.MATCHING, experts_needed=experts, **kwargs)
    people = [
        ExpertFactory(
            organisation=expert_organisation or coordinator.organisation,
            kinds=[ExpertKind.TRAINED_EXPERT],
        )
        for _ in range(experts)
    ]
    for expert in people:
        offer = offer_to(order, expert, coordinator)
        offer_services.accept(expert.user, offer.pk, FeeType.WORK_COMPENSATION)
    order.refresh_from_db()
    assert order.state == OrderState.AGREED
    workflow.transition(order, "complete", actor=coordinator.user)
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(
        starts_at=now - timedelta(hours=5), debrief_at=now - timedelta(hours=2)
    )
    order.refresh_from_db()
    assert order.state == OrderState.DONE
    return order, coordinator, people


def agreed_order():
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    offer = offer_to(order, expert, coordinator)
    offer_services.accept(expert.user, offer.pk, FeeType.WORK_COMPENSATION)
    order.refresh_from_db()
    assert order.state == OrderState.AGREED
    return order, coordinator, expert


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


def local_input(value):
    return timezone.localtime(value).strftime(DATETIME_INPUT)


def debrief_url(order, expert):
    return reverse("followup:debrief", args=[order.pk, expert.pk])


def feedback_url(order, expert):
    return reverse("followup:feedback", args=[order.pk, expert.pk])


def planning_url(order):
    return reverse("followup:planning", args=[order.pk])


def full_debrief(user, order, expert, **overrides):
    values = {
        "held_at": an_hour_ago(),
        "held_by": "Coordinator Kaisa",
        "feelings": FEELINGS,
        "evaluation": EVALUATION,
        "wants_support": False,
    }
    values.update(overrides)
    return services.record_debrief(user, order, expert, **values)


# The debrief moves the order -------------------------------------------------------------------


def test_debrief_moves_order_to_debriefed_only_when_every_expert_is_debriefed():
    order, coordinator, (first, second) = done_order(experts=2)

    full_debrief(first.user, order, first)
    order.refresh_from_db()
    assert order.state == OrderState.DONE

    full_debrief(coordinator.user, order, second)
    order.refresh_from_db()
    assert order.state == OrderState.DEBRIEFED

    actions = list(OrderEvent.objects.filter(order=order).values_list("action", flat=True))
    assert actions[-3:] == ["debrief_held", "debrief_held", "debrief"]
    # The timeline says only that it was held: never feelings or the support wish.
    for event in OrderEvent.objects.filter(order=order):
        assert "PRIVATE" not in event.reason


def test_the_orderer_may_record_only_that_the_debrief_was_held():
    order, _coordinator, (expert,) = done_order()
    orderer = order.orderer.user
    with pytest.raises(PermissionDenied):
        services.record_debrief(
            orderer, order, expert, an_hour_ago(), "Teacher Maija", feelings="Fine"
        )
    with pytest.raises(PermissionDenied):
        services.record_debrief(
            orderer, order, expert, an_hour_ago(), "Teacher Maija", wants_support=True
        )
    assert not Debrief.objects.exists()

    services.record_debrief(orderer, order, expert, an_hour_ago(), "Teacher Maija")
    order.refresh_from_db()
    assert order.state == OrderState.DEBRIEFED
    debrief = Debrief.objects.get()
    assert (debrief.feelings, debrief.evaluation, debrief.wants_support) == ("", "", False)

    # Once recorded, the orderer cannot record it again or change it.
    with pytest.raises(ValidationError):
        services.record_debrief(orderer, order, expert, an_hour_ago(), "Someone else")
    debrief.refresh_from_db()
    assert debrief.held_by == "Teacher Maija"


def test_the_expert_completes_a_debrief_the_orderer_recorded(client):
    order, _coordinator, (expert,) = done_order()
    services.record_debrief(order.orderer.user, order, expert, an_hour_ago(), "Teacher Maija")
    client.force_login(expert.user)
    response = client.post(
        debrief_url(order, expert),
        {
            "held_at": local_input(an_hour_ago()),
            "held_by": "Teacher Maija",
            "feelings": FEELINGS,
            "evaluation": EVALUATION,
            "wants_support": "on",
        },
    )
    assert response.status_code == 302
    debrief = Debrief.objects.get()
    assert debrief.feelings == FEELINGS
    assert debrief.wants_support is True
    assert debrief.support_handled_at is None


def test_debrief_is_refused_before_the_assignment_is_done():
    order, coordinator, expert = agreed_order()
    with pytest.raises(ValidationError):
        full_debrief(expert.user, order, expert)
    order.refresh_from_db()
    assert order.state == OrderState.AGREED
    assert not Debrief.objects.exists()


def test_debrief_time_must_not_be_in_the_future_nor_before_the_assignment():
    order, _coordinator, (expert,) = done_order()
    with pytest.raises(ValidationError) as error:
        full_debrief(expert.user, order, expert, held_at=timezone.now() + timedelta(days=1))
    assert "held_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        full_debrief(expert.user, order, expert, held_at=order.starts_at - timedelta(days=3))
    assert "held_at" in error.value.message_dict
    assert not Debrief.objects.exists()


def test_debrief_form_saves_and_redirects(client):
    order, coordinator, (first, second) = done_order(experts=2)
    client.force_login(first.user)
    response = client.post(
        debrief_url(order, first),
        {
            "held_at": local_input(an_hour_ago()),
            "held_by": "Coordinator Kaisa",
            "feelings": FEELINGS,
            "evaluation": "",
        },
    )
    # The expert cannot open the order page, so they stay on their debrief.
    assert response.status_code == 302
    assert response["Location"] == debrief_url(order, first)

    client.force_login(coordinator.user)
    response = client.post(
        debrief_url(order, second),
        {"held_at": local_input(an_hour_ago()), "held_by": "Coordinator Kaisa"},
    )
    assert response.status_code == 302
    assert f"/orders/{order.pk}/" in response["Location"]
    assert response["Location"] == reverse("orders:detail", args=[order.pk])
    order.refresh_from_db()
    assert order.state == OrderState.DEBRIEFED


def test_debrief_form_bad_input_keeps_what_was_typed(client):
    order, _coordinator, (expert,) = done_order()
    client.force_login(expert.user)
    response = client.post(
        debrief_url(order, expert),
        {"held_at": "yesterday-ish", "held_by": "", "feelings": "I typed this carefully"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "I typed this carefully" in html
    assert "Give the date and time, for example" in html
    assert "error-summary" in html
    assert not Debrief.objects.exists()

    response = client.post(
        debrief_url(order, expert),
        {
            "held_at": local_input(timezone.now() + timedelta(days=2)),
            "held_by": "Kaisa",
            "feelings": "Still here",
        },
    )
    assert response.status_code == 200
    assert "This time is in the future" in response.content.decode()
    assert "Still here" in response.content.decode()


# Support ---------------------------------------------------------------------------------------


def test_support_wish_shows_to_the_experts_coordinators_and_not_to_the_orderer(client):
    order, coordinator, (expert,) = done_order()
    full_debrief(expert.user, order, expert, wants_support=True)
    support_url = reverse("followup:support")

    client.force_login(coordinator.user)
    html = client.get(support_url).content.decode()
    assert expert.user.email in html
    assert str(order) in html
    assert "No support requests waiting" not in html

    # Another organisation's coordinator does not see it.
    client.force_login(CoordinatorFactory().user)
    html = client.get(support_url).content.decode()
    assert expert.user.email not in html
    assert "No support requests waiting" in html

    # The orderer has no support page, and their debrief page says nothing of support.
    client.force_login(order.orderer.user)
    assert client.get(support_url).status_code == 403
    html = client.get(debrief_url(order, expert)).content.decode()
    assert "Support was asked for" not in html
    assert "would like support" not in html


def test_coordinator_marks_support_handled(client):
    order, coordinator, (expert,) = done_order()
    debrief = full_debrief(expert.user, order, expert, wants_support=True)
    support_url = reverse("followup:support")

    client.force_login(CoordinatorFactory().user)
    assert client.post(support_url, {"debrief": debrief.pk}).status_code == 404
    assert client.post(support_url, {"debrief": "abc"}).status_code == 404
    debrief.refresh_from_db()
    assert debrief.support_handled_at is None

    client.force_login(coordinator.user)
    response = client.post(support_url, {"debrief": debrief.pk})
    assert response.status_code == 302
    debrief.refresh_from_db()
    assert debrief.support_handled_at is not None
    assert debrief.support_handled_by == coordinator.user
    page = client.get(support_url).content.decode()
    assert "No support requests waiting" in page

    # Twice is refused with a message, not an error page.
    response = client.post(support_url, {"debrief": debrief.pk}, follow=True)
    assert response.status_code == 200
    assert "already been marked handled" in response.content.decode()


def test_support_wish_calls_the_notification_hook_after_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(notification_dispatch, "on_support_requested", calls.append)
    order, _coordinator, (first, second) = done_order(experts=2)
    with django_capture_on_commit_callbacks(execute=True):
        full_debrief(first.user, order, first, wants_support=False)
    assert calls == []
    with django_capture_on_commit_callbacks(execute=True):
        debrief = full_debrief(second.user, order, second, wants_support=True)
    assert calls == [debrief.pk]
    # Saving again with the same wish does not alert twice.
    with django_capture_on_commit_callbacks(execute=True):
        full_debrief(second.user, order, second, wants_support=True)
    assert calls == [debrief.pk]


# Privacy: the orderer never sees feelings -------------------------------------------------------


def test_orderer_never_sees_feelings_on_any_page_they_can_open(client):
    order, _coordinator, (first, second) = done_order(experts=2)
    full_debrief(first.user, order, first, wants_support=True)
    services.give_feedback(
        first.user,
        order,
        first,
        Feedback.EXPERT_ON_ORDERER,
        expectations_clear=2,
        time_respected=3,
        treated_as_equal=1,
        comment="PRIVATE-COMMENT about the orderer",
    )
    client.force_login(order.orderer.user)
    pages = [
        reverse("orders:detail", args=[order.pk]),
        planning_url(order),
        debrief_url(order, first),
        debrief_url(order, second),
        feedback_url(order, first),
        feedback_url(order, second),
        reverse("followup:summary"),
        reverse("followup:support"),
    ]
    opened = 0
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert "PRIVATE" not in html, url
        for name in ("feelings", "evaluation", "wants_support"):
            assert f'name="{name}"' not in html, url
        opened += response.status_code == 200
    assert opened == 6  # everything but the coordinators' summary and support pages


def test_orderer_cannot_open_the_debrief_form_with_feelings_fields(client):
    order, _coordinator, (expert,) = done_order()
    client.force_login(order.orderer.user)
    html = client.get(debrief_url(order, expert)).content.decode()
    assert 'name="held_at"' in html
    assert 'name="held_by"' in html
    assert 'name="feelings"' not in html
    assert 'name="wants_support"' not in html

    # Fields smuggled into the post are ignored.
    response = client.post(
        debrief_url(order, expert),
        {
            "held_at": local_input(an_hour_ago()),
            "held_by": "Teacher Maija",
            "feelings": "written by the orderer",
            "wants_support": "on",
        },
    )
    assert response.status_code == 302
    assert f"/orders/{order.pk}/" in response["Location"]
    debrief = Debrief.objects.get()
    assert debrief.feelings == ""
    assert debrief.wants_support is False

    # Once held, the orderer sees when and by whom, and cannot record it again.
    html = client.get(debrief_url(order, expert)).content.decode()
    assert "Teacher Maija" in html
    assert 'name="held_by"' not in html
    response = client.post(
        debrief_url(order, expert),
        {"held_at": local_input(an_hour_ago()), "held_by": "Someone else"},
    )
    assert response.status_code == 200
    assert "cannot be recorded here now" in response.content.decode()
    debrief.refresh_from_db()
    assert debrief.held_by == "Teacher Maija"


def test_order_followup_rows_carry_no_private_fields():
    order, _coordinator, (expert,) = done_order()
    full_debrief(expert.user, order, expert, wants_support=True)
    (row,) = services.order_followup(order, order.orderer.user)
    assert row["debrief_held_at"] is not None
    assert row["feedback_direction"] == Feedback.ORDERER_ON_ASSIGNMENT
    assert not any("PRIVATE" in str(value) for value in row.values())


# Feedback --------------------------------------------------------------------------------------


def test_feedback_only_after_the_assignment_is_done(client):
    order, _coordinator, expert = agreed_order()
    with pytest.raises(ValidationError):
        services.give_feedback(
            order.orderer.user, order, expert, Feedback.ORDERER_ON_ASSIGNMENT, overall=4
        )
    client.force_login(order.orderer.user)
    html = client.get(feedback_url(order, expert)).content.decode()
    assert "once the assignment is done" in html
    assert 'name="overall"' not in html
    response = client.post(feedback_url(order, expert), {"overall": "4", "comment": "Early"})
    assert response.status_code == 200
    assert "once the assignment is done" in response.content.decode()
    assert "Early" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_once_each_way(client):
    order, _coordinator, (expert,) = done_order()
    client.force_login(order.orderer.user)
    response = client.post(feedback_url(order, expert), {"overall": "5", "comment": "Great"})
    assert response.status_code == 302
    assert f"/orders/{order.pk}/" in response["Location"]
    response = client.post(feedback_url(order, expert), {"overall": "1", "comment": "Again"})
    assert response.status_code == 302
    assert Feedback.objects.get(direction=Feedback.ORDERER_ON_ASSIGNMENT).overall == 5

    client.force_login(expert.user)
    answers = {"expectations_clear": "4", "time_respected": "5", "treated_as_equal": "3"}
    response = client.post(feedback_url(order, expert), answers)
    assert response.status_code == 302
    assert response["Location"] == feedback_url(order, expert)
    given = Feedback.objects.get(direction=Feedback.EXPERT_ON_ORDERER)
    assert (given.expectations_clear, given.time_respected, given.treated_as_equal) == (4, 5, 3)
    assert given.overall is None

    with pytest.raises(ValidationError):
        services.give_feedback(
            expert.user,
            order,
            expert,
            Feedback.EXPERT_ON_ORDERER,
            expectations_clear=1,
            time_respected=1,
            treated_as_equal=1,
        )
    assert Feedback.objects.count() == 2
    page = client.get(feedback_url(order, expert)).content.decode()
    assert "You gave this feedback" in page


def test_feedback_is_possible_after_debrief_and_closing():
    order, coordinator, (expert,) = done_order()
    full_debrief(expert.user, order, expert)
    workflow.transition(order, "close", actor=coordinator.user)
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED
    services.give_feedback(
        order.orderer.user, order, expert, Feedback.ORDERER_ON_ASSIGNMENT, overall=3
    )
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize("bad", ["0", "6", "abc", "", "3.5"])
def test_orderer_score_must_be_1_to_5_and_comment_is_kept(client, bad):
    order, _coordinator, (expert,) = done_order()
    client.force_login(order.orderer.user)
    response = client.post(
        feedback_url(order, expert), {"overall": bad, "comment": "My typed comment"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a score from 1 to 5." in html
    assert "My typed comment" in html
    assert "error-summary" in html
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("bad", ["0", "6", "abc"])
def test_expert_scores_must_be_1_to_5_and_comment_is_kept(client, bad):
    order, _coordinator, (expert,) = done_order()
    client.force_login(expert.user)
    response = client.post(
        feedback_url(order, expert),
        {
            "expectations_clear": "4",
            "time_respected": bad,
            "treated_as_equal": "5",
            "comment": "Expert comment kept",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a score from 1 to 5." in html
    assert "Expert comment kept" in html
    # The valid answers stay chosen.
    assert re.search(r'name="expectations_clear" value="4"[^>]*checked', html)
    assert re.search(r'name="treated_as_equal" value="5"[^>]*checked', html)
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("bad", [0, 6, "abc", None])
def test_service_validates_scores(bad):
    order, _coordinator, (expert,) = done_order()
    with pytest.raises(ValidationError) as error:
        services.give_feedback(
            order.orderer.user, order, expert, Feedback.ORDERER_ON_ASSIGNMENT, overall=bad
        )
    assert "overall" in error.value.message_dict
    assert not Feedback.objects.exists()


def test_direction_is_decided_by_who_the_user_is(client):
    order, _coordinator, (expert,) = done_order()
    client.force_login(order.orderer.user)
    html = client.get(feedback_url(order, expert)).content.decode()
    assert 'name="overall"' in html
    assert 'name="treated_as_equal"' not in html
    assert "<legend>" in html  # the rating is a radio fieldset with a legend

    client.force_login(expert.user)
    html = client.get(feedback_url(order, expert)).content.decode()
    assert 'name="overall"' not in html
    for name in ("expectations_clear", "time_respected", "treated_as_equal"):
        assert f'name="{name}"' in html

    with pytest.raises(PermissionDenied):
        services.give_feedback(
            order.orderer.user,
            order,
            expert,
            Feedback.EXPERT_ON_ORDERER,
            expectations_clear=1,
            time_respected=1,
            treated_as_equal=1,
        )
    with pytest.raises(PermissionDenied):
        services.give_feedback(
            expert.user, order, expert, Feedback.ORDERER_ON_ASSIGNMENT, overall=5
        )


def test_no_feedback_or_debrief_for_an_expert_who_did_not_take_part(client):
    order, coordinator, (expert,) = done_order()
    outsider = ExpertFactory(organisation=coordinator.organisation)
    client.force_login(order.orderer.user)
    assert client.get(feedback_url(order, outsider)).status_code == 404
    assert client.get(debrief_url(order, outsider)).status_code == 404
    client.force_login(outsider.user)
    assert client.get(feedback_url(order, outsider)).status_code == 404
    with pytest.raises(PermissionDenied):
        full_debrief(outsider.user, order, outsider)


# Planning meeting ------------------------------------------------------------------------------


def test_orderer_records_the_planning_meeting(client):
    order, _coordinator, expert = agreed_order()
    client.force_login(order.orderer.user)
    held = timezone.now() - timedelta(days=1)
    response = client.post(
        planning_url(order), {"held_at": local_input(held), "notes": "Goals: 3 key messages."}
    )
    assert response.status_code == 302
    assert f"/orders/{order.pk}/" in response["Location"]
    order.refresh_from_db()
    assert order.planning_notes == "Goals: 3 key messages."
    assert abs(order.planning_meeting_at - held) < timedelta(minutes=1)
    assert OrderEvent.objects.filter(order=order, action="planning_meeting").count() == 1

    # The expert reads it but cannot record it.
    client.force_login(expert.user)
    response = client.get(planning_url(order))
    assert response.status_code == 200
    assert "Goals: 3 key messages." in response.content.decode()
    assert 'name="notes"' not in response.content.decode()
    assert client.post(planning_url(order), {"notes": "x"}).status_code == 403


def test_planning_bad_input_and_wrong_state(client):
    order, coordinator, _expert = agreed_order()
    client.force_login(coordinator.user)
    response = client.post(planning_url(order), {"held_at": "not a date", "notes": "Kept notes"})
    assert response.status_code == 200
    assert "Kept notes" in response.content.decode()
    assert "Give the date and time" in response.content.decode()

    draft, _ = order_in_state(OrderState.DRAFT, coordinator=coordinator)
    with pytest.raises(ValidationError):
        services.record_planning_meeting(draft.orderer.user, draft, timezone.now(), "Too early")
    client.force_login(draft.orderer.user)
    response = client.post(
        planning_url(draft), {"held_at": local_input(timezone.now()), "notes": "Too early"}
    )
    assert response.status_code == 200
    assert "cannot be recorded" in response.content.decode()
    draft.refresh_from_db()
    assert draft.planning_notes == ""


# Permissions -----------------------------------------------------------------------------------


def test_strangers_see_nothing(client):
    order, _coordinator, (expert,) = done_order()
    full_debrief(expert.user, order, expert, wants_support=True)
    other_expert = ExpertFactory(organisation=expert.organisation)
    urls = [planning_url(order), debrief_url(order, expert), feedback_url(order, expert)]
    for user in (CoordinatorFactory().user, other_expert.user, OrdererFactory().user):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (user, url)
            assert "PRIVATE" not in response.content.decode()
        assert client.post(debrief_url(order, expert), {"held_by": "x"}).status_code == 404
    client.logout()
    for url in [*urls, reverse("followup:summary"), reverse("followup:support")]:
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_coordinator_in_charge_of_the_order_but_not_of_the_expert_cannot_read_the_debrief(client):
    expert_org_coordinator = CoordinatorFactory()
    order, order_coordinator, (expert,) = done_order(
        expert_organisation=expert_org_coordinator.organisation
    )
    full_debrief(expert.user, order, expert, wants_support=True)

    client.force_login(order_coordinator.user)
    assert client.get(debrief_url(order, expert)).status_code == 404
    assert expert.user.email not in client.get(reverse("followup:support")).content.decode()
    # ... but may record the planning meeting, being in charge of the order.
    assert client.get(planning_url(order)).status_code == 200

    client.force_login(expert_org_coordinator.user)
    response = client.get(debrief_url(order, expert))
    assert response.status_code == 200
    assert FEELINGS in response.content.decode()
    assert expert.user.email in client.get(reverse("followup:support")).content.decode()


def test_summary_and_support_are_for_coordinators_only(client):
    order, _coordinator, (expert,) = done_order()
    for user in (order.orderer.user, expert.user):
        client.force_login(user)
        assert client.get(reverse("followup:summary")).status_code == 403
        assert client.get(reverse("followup:support")).status_code == 403


# Aggregates ------------------------------------------------------------------------------------


def test_summarise_counts_and_averages_per_group_and_overall():
    items = [
        {"org": "Vaasa Hospital", "a": 4, "b": 5},
        {"org": "vaasa  hospital", "a": 2, "b": None},
        {"org": "Åbo school", "a": 5, "b": 3},
    ]
    summary = aggregates.summarise(
        items,
        ("a", "b"),
        group_by=lambda i: " ".join(i["org"].split()).casefold(),
        label=lambda i: i["org"],
        overall_label="All",
    )
    assert summary.overall.count == 3
    assert summary.overall.average("a") == pytest.approx(3.67)
    assert summary.overall.scores[1].answered == 2
    assert summary.overall.average("b") == 4
    assert [row.label for row in summary.groups] == ["Vaasa Hospital", "Åbo school"]
    vaasa = summary.groups[0]
    assert (vaasa.count, vaasa.average("a"), vaasa.average("b")) == (2, 3, 5)


def test_summarise_nothing():
    summary = aggregates.summarise(
        [], ("a",), group_by=lambda i: i, label=lambda i: "", overall_label="All"
    )
    assert summary.overall.count == 0
    assert summary.overall.average("a") is None
    assert summary.groups == ()


def _expert_feedback(order, expert, scores):
    e, t, q = scores
    services.give_feedback(
        expert.user,
        order,
        expert,
        Feedback.EXPERT_ON_ORDERER,
        expectations_clear=e,
        time_respected=t,
        treated_as_equal=q,
        comment="PRIVATE-COMMENT",
    )


def test_aggregates_per_orderer_organisation_and_per_expert(client):
    hospital = OrdererFactory(organisation_name="Vaasa Central Hospital")
    school = OrdererFactory(organisation_name="Åbo Nursing School")
    first, coordinator, (a, b) = done_order(experts=2, orderer=hospital)
    second, _c, (c,) = done_order(orderer=school, coordinator=coordinator)
    _expert_feedback(first, a, (5, 4, 5))
    _expert_feedback(first, b, (3, 2, 4))
    _expert_feedback(second, c, (1, 1, 2))
    for order, expert, score in ((first, a, 5), (first, b, 4), (second, c, 2)):
        services.give_feedback(
            order.orderer.user, order, expert, Feedback.ORDERER_ON_ASSIGNMENT, overall=score
        )
    # Feedback involving another organisation's experts is not counted.
    third, _other, (d,) = done_order()
    _expert_feedback(third, d, (5, 5, 5))

    visible = aggregates.visible_feedback(coordinator.user)
    on_orderers = aggregates.expert_on_orderer(visible)
    assert on_orderers.overall.count == 3
    assert on_orderers.overall.average("expectations_clear") == 3
    rows = {row.label: row for row in on_orderers.groups}
    assert set(rows) == {"Vaasa Central Hospital", "Åbo Nursing School"}
    assert rows["Vaasa Central Hospital"].count == 2
    assert rows["Vaasa Central Hospital"].average("time_respected") == 3
    assert rows["Åbo Nursing School"].average("treated_as_equal") == 2

    on_assignments = aggregates.orderer_on_assignment(visible)
    assert on_assignments.overall.count == 3
    assert on_assignments.overall.average("overall") == pytest.approx(3.67)
    assert sorted(row.count for row in on_assignments.groups) == [1, 1, 1]

    client.force_login(coordinator.user)
    html = client.get(reverse("followup:summary")).content.decode()
    assert "Vaasa Central Hospital" in html
    assert "3.0" in html or "3,0" in html
    assert "PRIVATE-COMMENT" not in html  # counts and averages only


def test_logs_carry_no_personal_data(caplog, client):
    """Walk an assignment end to end with every logger at DEBUG: no name, e-mail, phone or
    feeling of the expert appears in any log record (e-mails are sent by background tasks
    that get ids only)."""
    import logging

    caplog.set_level(logging.DEBUG)
    order, coordinator, (expert,) = done_order()
    expert.user.first_name, expert.user.last_name = "Logfirstname", "Loglastname"
    expert.user.save()
    expert.phone = "040 123 9876"
    expert.save()
    full_debrief(expert.user, order, expert, wants_support=True)
    client.force_login(expert.user)
    client.get(reverse("experts:me"))
    client.force_login(coordinator.user)
    client.get(reverse("experts:review_detail", args=[expert.pk]))
    client.get(reverse("followup:support"))
    # The test's own factories log what they build; only the product's logs count.
    records = [r for r in caplog.records if not r.name.startswith(("factory", "faker"))]
    logged = "\n".join(r.getMessage() + " " + repr(r.args) for r in records)
    assert records, "nothing was logged at all: the test would prove nothing"
    for private in ("Logfirstname", "Loglastname", expert.user.email, "040 123 9876", FEELINGS):
        assert private not in logged
