"""Open calls through the pages: who sees a call, interest, offers to the chosen experts, and
the kind word to the others when the call closes."""

from datetime import timedelta

import pytest
import rules
from django.urls import reverse
from django.utils import timezone

from kokemustori.notifications import notices
from kokemustori.notifications.models import Delivery, Notice, NoticePreference
from kokemustori.offers.models import Offer, OfferState
from kokemustori.opencalls.models import CallState, Interest, OpenCall
from kokemustori.orders import workflow
from kokemustori.orders.models import OrderState
from kokemustori.outbox.models import OutboundEmail
from kokemustori.pages.waiting import for_coordinator, for_expert
from kokemustori.privacy import erasure, export
from tests.factories import (
    CoordinatorFactory,
    ExpertFactory,
    ExpertKind,
    OrganisationFactory,
    TopicFactory,
    UserFactory,
)
from tests.factories.orders import order_in_state

pytestmark = pytest.mark.django_db
T = ExpertKind.TRAINED_EXPERT


def expert(first, org, **kwargs):
    return ExpertFactory(
        user=UserFactory(first_name=first, last_name="Kettu-7"),
        organisation=org,
        kinds=[T],
        **kwargs,
    )


@pytest.fixture
def world():
    topic = TopicFactory(name="Recovery talk", name_en="Recovery talk")
    coordinator = CoordinatorFactory()
    org = coordinator.organisation
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator, topic=topic)
    keen = expert("Keenq", org)
    keen.topics.add(topic)
    quiet = expert("Quietq", org)
    resting = expert("Restingq", org, on_break=True)
    not_now = expert("Notnowq", org)
    not_now.topics_not_now.add(topic)
    elsewhere = expert("Elsewhereq", OrganisationFactory())
    return {
        "order": order,
        "coordinator": coordinator,
        "keen": keen,
        "quiet": quiet,
        "resting": resting,
        "not_now": not_now,
        "elsewhere": elsewhere,
    }


def publish(client, world):
    client.force_login(world["coordinator"].user)
    answer_by = timezone.localtime(timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("opencalls:publish", args=[world["order"].pk]),
        {"answer_by": answer_by, "message": "Two places, both remote friendly."},
    )
    assert response.status_code == 302
    return OpenCall.objects.get(order=world["order"])


def test_publishing_tells_only_the_experts_who_may_be_offered_the_order(client, world):
    call = publish(client, world)
    assert call.state == CallState.OPEN
    told = set(Notice.objects.filter(kind="open_call").values_list("user__first_name", flat=True))
    assert told == {"Keenq", "Quietq"}
    # By default into the weekly summary, not an e-mail at once.
    assert set(Notice.objects.filter(kind="open_call").values_list("delivery", flat=True)) == {
        Delivery.WEEKLY
    }
    assert not OutboundEmail.objects.filter(template="open_call").exists()
    # The order did not change state: a call is not an offer.
    world["order"].refresh_from_db()
    assert world["order"].state == OrderState.MATCHING


@pytest.mark.parametrize("who", ["resting", "not_now", "elsewhere"])
def test_an_expert_on_a_break_or_with_the_topic_not_now_never_sees_the_call(client, world, who):
    call = publish(client, world)
    client.force_login(world[who].user)
    listing = client.get(reverse("opencalls:mine"))
    assert listing.status_code == 200
    assert world["order"].title not in listing.content.decode()
    assert client.get(reverse("opencalls:detail", args=[call.pk])).status_code == 404
    assert (
        client.post(reverse("opencalls:detail", args=[call.pk]), {"note": "x"}).status_code == 404
    )
    assert not Interest.objects.exists()
    assert for_expert(world[who], timezone.now()) == []


@pytest.mark.parametrize("who", ["coordinator", "orderer", "visitor"])
def test_someone_not_an_expert_may_not_see_or_answer_a_call(client, world, who):
    call = publish(client, world)
    client.logout()
    if who == "coordinator":
        client.force_login(world["coordinator"].user)
    elif who == "orderer":
        client.force_login(world["order"].orderer.user)
    else:
        client.force_login(UserFactory())
    assert client.get(reverse("opencalls:detail", args=[call.pk])).status_code == 404
    assert (
        client.post(reverse("opencalls:detail", args=[call.pk]), {"note": "x"}).status_code == 404
    )
    assert client.post(reverse("opencalls:withdraw", args=[call.pk])).status_code == 404
    assert not Interest.objects.exists()


def test_the_rule_lets_answer_only_an_expert_matching_would_offer_the_order(client, world):
    call = publish(client, world)
    assert rules.has_perm("opencalls.answer", world["keen"].user, call) is True
    assert rules.has_perm("opencalls.answer", world["quiet"].user, call) is True
    assert rules.has_perm("opencalls.answer", world["resting"].user, call) is False
    assert rules.has_perm("opencalls.answer", world["elsewhere"].user, call) is False
    assert rules.has_perm("opencalls.answer", world["coordinator"].user, call) is False
    assert rules.has_perm("opencalls.answer", UserFactory(), call) is False
    assert rules.has_perm("opencalls.answer", world["keen"].user, None) is False


def test_a_break_started_after_publishing_hides_the_call(client, world):
    call = publish(client, world)
    world["quiet"].on_break = True
    world["quiet"].save(update_fields=["on_break"])
    client.force_login(world["quiet"].user)
    assert client.get(reverse("opencalls:detail", args=[call.pk])).status_code == 404


def test_an_expert_says_interested_with_a_note_and_can_withdraw(client, world):
    call = publish(client, world)
    client.force_login(world["keen"].user)
    listing = client.get(reverse("opencalls:mine")).content.decode()
    assert world["order"].title in listing
    waiting = for_expert(world["keen"], timezone.now())
    assert [item.text for item in waiting] == [
        f"An open call, if it interests you: {world['order'].title}"
    ]
    page = client.get(reverse("opencalls:detail", args=[call.pk])).content.decode()
    assert "Two places, both remote friendly." in page
    response = client.post(
        reverse("opencalls:detail", args=[call.pk]), {"note": "I can come by train."}
    )
    assert response.status_code == 302
    interest = Interest.objects.get(call=call)
    assert (interest.expert, interest.note) == (world["keen"], "I can come by train.")
    assert for_expert(world["keen"], timezone.now()) == []
    assert "You are interested" in client.get(reverse("opencalls:mine")).content.decode()

    assert client.post(reverse("opencalls:withdraw", args=[call.pk])).status_code == 302
    assert not Interest.objects.exists()


def test_a_note_too_long_is_refused_and_kept(client, world):
    call = publish(client, world)
    client.force_login(world["keen"].user)
    response = client.post(reverse("opencalls:detail", args=[call.pk]), {"note": "Q" * 1001})
    assert response.status_code == 400
    assert "Q" * 1001 in response.content.decode()
    assert not Interest.objects.exists()


def interest(client, world, who, note=""):
    client.force_login(world[who].user)
    call = OpenCall.objects.get(order=world["order"])
    assert (
        client.post(reverse("opencalls:detail", args=[call.pk]), {"note": note}).status_code == 302
    )


def test_the_coordinator_sees_the_interested_ranked_and_offers_to_the_chosen(client, world):
    call = publish(client, world)
    interest(client, world, "keen", "Happy to.")
    interest(client, world, "quiet")
    coordinator = world["coordinator"].user
    waiting = [
        i.text for i in for_coordinator([world["coordinator"].organisation_id], timezone.now())
    ]
    assert f"Open call: 2 interested experts to choose from: {world['order'].title}" in waiting

    client.force_login(coordinator)
    html = client.get(reverse("opencalls:manage", args=[call.pk])).content.decode()
    # Ranked by matching: the one who speaks on the topic first, with the reason.
    assert html.index("Keenq") < html.index("Quietq")
    assert "Speaks on the topic: Recovery talk." in html
    assert "Happy to." in html

    response = client.post(
        reverse("opencalls:manage", args=[call.pk]), {"experts": [str(world["keen"].pk)]}
    )
    assert response.status_code == 302
    offer = Offer.objects.get(order=world["order"])
    assert (offer.expert, offer.state, offer.sent_by) == (
        world["keen"],
        OfferState.OPEN,
        coordinator,
    )
    assert "Speaks on the topic: Recovery talk." in offer.match_reasons
    world["order"].refresh_from_db()
    assert world["order"].state == OrderState.OFFERED
    assert world["order"].events.filter(action="offer").count() == 1
    # The chosen expert's call now leads to their offer.
    client.force_login(world["keen"].user)
    response = client.get(reverse("opencalls:detail", args=[call.pk]))
    assert response["Location"] == reverse("offers:detail", args=[offer.pk])


def test_only_interested_experts_may_be_offered_from_the_call(client, world):
    call = publish(client, world)
    interest(client, world, "keen")
    client.force_login(world["coordinator"].user)
    response = client.post(
        reverse("opencalls:manage", args=[call.pk]), {"experts": [str(world["quiet"].pk)]}
    )
    assert response.status_code == 400
    assert not Offer.objects.exists()


def test_closing_tells_the_interested_who_got_no_offer_kindly(client, world):
    call = publish(client, world)
    interest(client, world, "keen")
    interest(client, world, "quiet")
    client.force_login(world["coordinator"].user)
    client.post(reverse("opencalls:manage", args=[call.pk]), {"experts": [str(world["keen"].pk)]})
    response = client.post(reverse("opencalls:close", args=[call.pk]), follow=True)
    assert "1 interested expert was told kindly" in response.content.decode()
    call.refresh_from_db()
    assert call.state == CallState.CLOSED
    closed = Notice.objects.filter(kind="open_call_closed")
    assert [n.user.first_name for n in closed] == ["Quietq"]
    email = OutboundEmail.objects.get(template="open_call_closed")
    assert email.to_email == world["quiet"].user.email
    assert "This says nothing about you or your experience" in email.body_text
    # Closed, it can no longer be answered.
    client.force_login(world["quiet"].user)
    assert client.get(reverse("opencalls:detail", args=[call.pk])).status_code == 404


def test_a_cancelled_order_closes_its_call(client, world):
    call = publish(client, world)
    interest(client, world, "quiet")
    workflow.transition(
        world["order"],
        "cancel",
        actor=world["coordinator"].user,
        reason="The course was cancelled.",
    )
    call.refresh_from_db()
    assert call.state == CallState.CLOSED
    assert [n.user.first_name for n in Notice.objects.filter(kind="open_call_closed")] == ["Quietq"]


def test_the_weekly_summary_carries_the_call_and_preferences_apply(client, world):
    NoticePreference.objects.create(
        user=world["keen"].user, kind="open_call", delivery=Delivery.NOW
    )
    publish(client, world)
    # Keen chose e-mail at once; Quiet has the default weekly summary.
    now_email = OutboundEmail.objects.get(template="open_call")
    assert now_email.to_email == world["keen"].user.email
    assert notices.send_summaries(timezone.now() + timedelta(minutes=1)) == 1
    summary = OutboundEmail.objects.get(template="summary_weekly")
    assert summary.to_email == world["quiet"].user.email
    assert f"An open call you may answer: {world['order'].title}" in summary.body_text


def test_others_may_not_publish_or_manage(client, world):
    other = CoordinatorFactory().user
    client.force_login(other)
    assert client.get(reverse("opencalls:publish", args=[world["order"].pk])).status_code == 404
    call = publish(client, world)
    client.force_login(other)
    assert client.get(reverse("opencalls:manage", args=[call.pk])).status_code == 404
    assert client.post(reverse("opencalls:close", args=[call.pk])).status_code == 404
    client.force_login(world["keen"].user)
    assert client.get(reverse("opencalls:manage", args=[call.pk])).status_code == 404


def test_a_call_needs_an_order_accepted_for_matching(client):
    coordinator = CoordinatorFactory()
    order, _ = order_in_state(OrderState.SUBMITTED, coordinator=coordinator)
    client.force_login(coordinator.user)
    answer_by = timezone.localtime(timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("opencalls:publish", args=[order.pk]), {"answer_by": answer_by})
    assert response.status_code == 400
    assert not OpenCall.objects.exists()


def test_the_note_is_in_my_data_and_goes_with_erasure(client, world):
    call = publish(client, world)
    interest(client, world, "quiet", "Only mornings, QNOTE-9.")
    sections = {s.key: s for s in export.collect(world["quiet"].user)}
    (item,) = sections["open_call_interests"].items
    assert [e.value for e in item.entries if e.name == "note"] == ["Only mornings, QNOTE-9."]
    erasure.erase(world["quiet"].user, actor=world["quiet"].user)
    assert not Interest.objects.filter(call=call).exists()
