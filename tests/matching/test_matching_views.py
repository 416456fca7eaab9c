"""The coordinator's matching page: who is listed, who never is, and sending offers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kokemustori.experts.models import ExpertStatus
from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import OrderState
from tests.factories import (
    AreaFactory,
    CoordinatorFactory,
    ExpertFactory,
    ExpertKind,
    OrdererFactory,
    OrganisationFactory,
    TopicFactory,
    UserFactory,
)
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db
T, D = ExpertKind.TRAINED_EXPERT, ExpertKind.DEVELOPER_CLIENT


def named_expert(first, organisation, kinds=(T,), last="Legalname", **kwargs):
    return ExpertFactory(
        user=UserFactory(first_name=first, last_name=last),
        organisation=organisation,
        kinds=list(kinds),
        **kwargs,
    )


@pytest.fixture
def setting():
    """An order in matching with a topic in an experience area, and one expert per rule."""
    area = AreaFactory(name="Psychosis experience", name_en="Psychosis experience")
    topic = TopicFactory(name="Recovery talk", name_en="Recovery talk", area=area)
    coordinator = CoordinatorFactory()
    org = coordinator.organisation
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator, topic=topic)
    listed = named_expert("Aino", org)
    listed.topics.add(topic)
    listed.areas_own.add(area)
    hidden = {
        "on a break": named_expert("Breaki", org, on_break=True),
        "topic not now": named_expert("Notnowi", org),
        "over the limit": named_expert("Limiti", org, workload_limit=1),
        "ineligible kind": named_expert("Develi", org, kinds=[D]),
        "no kind granted": named_expert("Kindless", org, kinds=[]),
        "not approved": named_expert("Pendingi", org, status=ExpertStatus.SUBMITTED),
        "other organisation": named_expert("Otheri", OrganisationFactory()),
    }
    hidden["topic not now"].topics_not_now.add(topic)
    # The limit (1 a month) is used by an accepted assignment in the month of this order, in
    # Finnish time: near midnight at a month's end the UTC date is still in the month before.
    local = timezone.localtime(order.starts_at)
    earlier, _ = order_in_state(
        OrderState.MATCHING,
        coordinator=coordinator,
        starts_at=local.replace(day=1 if local.day > 1 else 2, hour=12, minute=0),
    )
    Offer.objects.create(
        order=earlier,
        expert=hidden["over the limit"],
        state=OfferState.ACCEPTED,
        expires_at=timezone.now() + timedelta(days=1),
    )
    return {
        "order": order,
        "coordinator": coordinator,
        "listed": listed,
        "hidden": hidden,
        "area": area,
        "topic": topic,
    }


def url(order):
    return reverse("matching:order", args=[order.pk])


def page(client, user, order):
    client.force_login(user)
    return client.get(url(order))


# --- Who may see the page -----------------------------------------------------------------


def test_coordinator_in_charge_sees_the_ranked_list(client, setting):
    response = page(client, setting["coordinator"].user, setting["order"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aino" in html
    assert "Legalname" in html  # own organisation: the legal name
    assert "Speaks on the topic: Recovery talk." in html
    assert "Own experience: Psychosis experience." in html


def test_anonymous_is_sent_to_log_in(client, setting):
    response = client.get(url(setting["order"]))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    "who", ["other coordinator", "orderer of the order", "another orderer", "expert"]
)
def test_others_get_404(client, setting, who):
    user = {
        "other coordinator": lambda: CoordinatorFactory().user,
        "orderer of the order": lambda: setting["order"].orderer.user,
        "another orderer": lambda: OrdererFactory().user,
        "expert": lambda: setting["listed"].user,
    }[who]()
    assert page(client, user, setting["order"]).status_code == 404
    client.force_login(user)
    response = client.post(url(setting["order"]), {"experts": [setting["listed"].pk]})
    assert response.status_code == 404
    assert not Offer.objects.filter(order=setting["order"]).exists()


def test_missing_order_is_404(client, coordinator):
    client.force_login(coordinator.user)
    assert client.get(reverse("matching:order", args=[999999])).status_code == 404


def test_order_not_yet_accepted_cannot_be_matched(client, coordinator):
    order, _ = order_in_state(OrderState.SUBMITTED, coordinator=coordinator)
    expert = named_expert("Aino", coordinator.organisation)
    response = page(client, coordinator.user, order)
    assert response.status_code == 200
    html = response.content.decode()
    assert "accepted for matching" in html
    assert "Aino" not in html
    response = client.post(url(order), {"experts": [expert.pk]})
    assert not Offer.objects.filter(order=order).exists()


# --- Who is never listed ------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        "on a break",
        "topic not now",
        "over the limit",
        "ineligible kind",
        "no kind granted",
        "not approved",
        "other organisation",
    ],
)
def test_excluded_experts_are_not_on_the_page(client, setting, rule):
    html = page(client, setting["coordinator"].user, setting["order"]).content.decode()
    first_name = setting["hidden"][rule].user.first_name
    assert first_name not in html
    assert "Aino" in html


def test_posting_an_excluded_expert_is_refused(client, setting):
    client.force_login(setting["coordinator"].user)
    on_break = setting["hidden"]["on a break"]
    response = client.post(url(setting["order"]), {"experts": [on_break.pk]})
    assert response.status_code == 200
    assert "can no longer be offered" in response.content.decode()
    assert not Offer.objects.filter(order=setting["order"]).exists()


def test_client_work_talk_lists_only_trained_experts(client, coordinator):
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator, audience="clients")
    named_expert("Trainedi", coordinator.organisation, kinds=[T])
    named_expert("Actori", coordinator.organisation, kinds=[ExpertKind.EXPERIENCE_ACTOR])
    html = page(client, coordinator.user, order).content.decode()
    assert "Trainedi" in html
    assert "Actori" not in html


# --- The network: other organisations' experts --------------------------------------------


@pytest.fixture
def network(setting):
    order = setting["order"]
    order.organisation = None
    order.save(update_fields=["organisation"])
    other_org = OrganisationFactory()
    other_coordinator = CoordinatorFactory(organisation=other_org)
    private = named_expert("Privati", other_org, last="Secretsurname", show_areas=False)
    private.areas_own.add(setting["area"])
    private.topics.add(setting["topic"])
    return {**setting, "other_coordinator": other_coordinator, "private": private}


def test_network_order_lists_every_organisations_experts(client, network):
    html = page(client, network["coordinator"].user, network["order"]).content.decode()
    assert "Aino" in html
    assert "Privati" in html
    assert "Otheri" in html  # the third organisation is part of the network too


def test_other_organisations_see_only_the_public_name_and_no_hidden_areas(client, network):
    html = page(client, network["coordinator"].user, network["order"]).content.decode()
    assert "Privati" in html
    assert "Secretsurname" not in html
    # Aino's areas are visible to her own coordinator; Privati hides hers from others.
    assert html.count("Own experience: Psychosis experience.") == 1
    assert "Does not show their experience areas to other organisations." in html
    html = page(client, network["other_coordinator"].user, network["order"]).content.decode()
    assert "Secretsurname" in html  # her own coordinator
    assert "Own experience: Psychosis experience." in html


# --- Sending offers -----------------------------------------------------------------------


def test_sending_offers_creates_offers_and_moves_the_order_on(client, setting):
    order, coordinator, listed = setting["order"], setting["coordinator"], setting["listed"]
    second = named_expert("Bertta", coordinator.organisation)
    deadline = timezone.localtime(timezone.now() + timedelta(days=3)).replace(
        second=0, microsecond=0
    )
    client.force_login(coordinator.user)
    response = client.post(
        url(order),
        {
            "experts": [listed.pk, second.pk],
            "message": "You would be great for this.",
            "expires_at": deadline.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert f"/orders/{order.pk}/" in response["Location"]
    offers = {o.expert_id: o for o in Offer.objects.filter(order=order)}
    assert set(offers) == {listed.pk, second.pk}
    offer = offers[listed.pk]
    assert offer.state == OfferState.OPEN
    assert offer.message == "You would be great for this."
    assert offer.expires_at == deadline
    assert offer.sent_by == coordinator.user
    assert "Recovery talk" in offer.match_reasons
    assert "Psychosis" not in offer.match_reasons  # areas are never copied into stored text
    order.refresh_from_db()
    assert order.state == OrderState.OFFERED


def test_already_offered_experts_are_listed_separately_and_more_can_be_added(client, setting):
    order, coordinator, listed = setting["order"], setting["coordinator"], setting["listed"]
    offer_to(order, listed, coordinator)
    second = named_expert("Bertta", coordinator.organisation)
    html = page(client, coordinator.user, order).content.decode()
    assert "Already offered" in html
    assert f'name="experts" value="{listed.pk}"' not in html
    assert f'name="experts" value="{second.pk}"' in html
    response = client.post(url(order), {"experts": [second.pk]})
    assert response.status_code == 302
    assert Offer.objects.filter(order=order).count() == 2


def test_choosing_nobody_gives_a_clear_error_and_keeps_the_message(client, setting):
    client.force_login(setting["coordinator"].user)
    response = client.post(url(setting["order"]), {"message": "Kept text"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose at least one expert to send the offer to." in html
    assert 'href="#id_experts_0"' in html  # the error summary links to the first checkbox
    assert "Kept text" in html
    assert not Offer.objects.filter(order=setting["order"]).exists()


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("not a date", "Enter a date and a time"),
        ("2001-01-01T10:00", "The answer deadline must be in the future."),
        ("LATE", "before the assignment starts"),
    ],
)
def test_bad_deadline_is_explained_and_choices_are_kept(client, setting, value, error):
    order = setting["order"]
    if value == "LATE":
        value = timezone.localtime(order.starts_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.force_login(setting["coordinator"].user)
    response = client.post(
        url(order), {"experts": [setting["listed"].pk], "expires_at": value, "message": "Hi"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert "Answer by" in html  # the error names the field
    assert f'value="{setting["listed"].pk}" id="id_experts_0" aria-describedby' in html
    assert "checked" in html
    assert not Offer.objects.filter(order=order).exists()


@pytest.mark.parametrize(
    ("value", "limit"),
    # The page shows 50 at first and at most 500: nonsense falls back to 50.
    [("abc", 50), ("-5", 50), ("0", 50), ("", 50), ("120", 120), ("100000", 500)],
)
def test_show_more_is_clamped_and_harmless(client, setting, value, limit):
    client.force_login(setting["coordinator"].user)
    response = client.get(url(setting["order"]), {"show": value})
    assert response.status_code == 200
    assert response.context["limit"] == limit
    assert len(response.context["rows"]) <= limit
    assert "Aino" in response.content.decode()


def test_page_uses_few_queries_whatever_the_number_of_experts(
    client, setting, django_assert_max_num_queries
):
    coordinator = setting["coordinator"]
    for n in range(15):
        expert = named_expert(f"Extra{n}", coordinator.organisation)
        expert.topics.add(setting["topic"])
    client.force_login(coordinator.user)
    with django_assert_max_num_queries(20):
        response = client.get(url(setting["order"]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("rule", "lift"),
    [
        ("on a break", lambda e, s: setattr(e, "on_break", False)),
        ("over the limit", lambda e, s: setattr(e, "workload_limit", 2)),
        ("topic not now", lambda e, s: e.topics_not_now.clear()),
        ("not approved", lambda e, s: setattr(e, "status", ExpertStatus.ACTIVE)),
    ],
)
def test_lifting_the_rule_lists_the_expert_again(client, setting, rule, lift):
    """A control for the exclusion tests: the hidden experts are hidden by that rule only."""
    expert = setting["hidden"][rule]
    lift(expert, setting)
    expert.save()
    html = page(client, setting["coordinator"].user, setting["order"]).content.decode()
    assert expert.user.first_name in html
