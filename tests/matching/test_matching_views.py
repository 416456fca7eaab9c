"""The coordinator's matching page: who is listed, who never is, and sending offers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kokemustori.experts.models import ExpertStatus
from kokemustori.matching import candidates
from kokemustori.matching.candidates import Filters, match, ranked_among, why_not_offerable
from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import OrderState
from kokemustori.requirements.models import OrderRequirements, Qualification
from kokemustori.tasktypes.models import TaskType
from tests.factories import (
    AreaFactory,
    CoordinatorFactory,
    ExpertFactory,
    ExpertKind,
    LanguageFactory,
    OrdererFactory,
    OrganisationFactory,
    RegionFactory,
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


def assignment(expert, coordinator, starts_at):
    """An accepted offer of `expert` on another order starting at `starts_at`: one assignment
    that counts towards their workload limit in that month."""
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator, starts_at=starts_at)
    return Offer.objects.create(
        order=order,
        expert=expert,
        state=OfferState.ACCEPTED,
        expires_at=timezone.now() + timedelta(days=1),
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


def row_of(html: str, name: str) -> str:
    """The one row of the list that names this expert."""
    (row,) = [part for part in html.split('<li class="match-row">')[1:] if name in part]
    return row


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
    rows = {name: row_of(html, name) for name in ("Aino", "Privati")}
    assert "Own experience: Psychosis experience." in rows["Aino"]
    assert "Own experience: Psychosis experience." not in rows["Privati"]
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


def test_page_uses_few_queries_whatever_the_number_of_experts(client, setting):
    coordinator = setting["coordinator"]
    client.force_login(coordinator.user)

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(url(setting["order"]))
        assert response.status_code == 200
        return len(context)

    few = queries()
    for n in range(15):
        expert = named_expert(f"Extra{n}", coordinator.organisation)
        expert.topics.add(setting["topic"])
    assert queries() == few <= 26


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


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("on a break", "Breaki can no longer be offered this order: On a break."),
        (
            "topic not now",
            "Notnowi can no longer be offered this order: Does not want this topic now.",
        ),
        (
            "over the limit",
            "Limiti can no longer be offered this order: Has reached their own limit of 1 "
            "assignments in that month.",
        ),
        (
            "ineligible kind",
            "Develi can no longer be offered this order: Holds no kind of expert that may do "
            "this task.",
        ),
        (
            "no kind granted",
            "Kindless can no longer be offered this order: Holds no kind of expert that may do "
            "this task.",
        ),
        (
            "not approved",
            "Pendingi can no longer be offered this order: Not an approved expert at the moment.",
        ),
        # Not the coordinator's own expert: neither a name nor a reason.
        ("other organisation", "An expert you chose can no longer be offered this order."),
    ],
)
def test_a_refused_choice_names_the_real_reason(client, setting, rule, reason):
    client.force_login(setting["coordinator"].user)
    expert = setting["hidden"][rule]
    response = client.post(
        url(setting["order"]),
        {"experts": [setting["listed"].pk, expert.pk], "message": "Kept message"},
    )
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert reason in html
    assert "The list has been updated: please choose again." in html
    assert "Kept message" in html
    if rule == "other organisation":
        assert "Otheri" not in html
    assert not Offer.objects.filter(order=setting["order"]).exists()


def test_an_expert_already_offered_and_an_unknown_id_are_explained(client, setting):
    coordinator = setting["coordinator"]
    offer_to(setting["order"], setting["listed"], coordinator)
    client.force_login(coordinator.user)
    response = client.post(url(setting["order"]), {"experts": [setting["listed"].pk, 987654]})
    html = response.content.decode()
    assert "Aino can no longer be offered this order: Already has an offer for this order." in html
    assert "An expert you chose can no longer be offered this order." in html
    assert Offer.objects.filter(order=setting["order"]).count() == 1


@pytest.mark.parametrize("value", ["0", "-3", "abc", str(2**63)])
def test_an_id_that_is_no_id_is_refused_plainly(client, setting, value):
    client.force_login(setting["coordinator"].user)
    response = client.post(url(setting["order"]), {"experts": [value]})
    assert response.status_code == 200
    assert "Choose the experts from the list." in response.content.decode()
    assert not Offer.objects.filter(order=setting["order"]).exists()


def test_a_network_coordinator_learns_nothing_of_another_organisations_expert(network):
    order = network["order"]
    own = network["coordinator"]
    on_break = ExpertFactory(organisation=own.organisation, on_break=True, kinds=[T])
    assert why_not_offerable(order, [on_break.pk], viewer=network["other_coordinator"].user) == {
        on_break.pk: None
    }
    (reason,) = why_not_offerable(order, [on_break.pk], viewer=own.user).values()
    assert reason.text == "On a break."
    # Someone who may be offered it is not in the answer at all.
    assert why_not_offerable(order, [network["listed"].pk], viewer=own.user) == {}


def test_why_not_offerable_reads_this_order_this_month_this_topic_and_granted_kinds(setting):
    """Each fact the reasons read is the order's own: an offer on another order, an assignment
    in another month, a topic *not now* that is another topic and a kind only applied for are
    no reason; the same facts on this order, month and topic are."""
    order, coordinator = setting["order"], setting["coordinator"]
    org, viewer = coordinator.organisation, coordinator.user
    local = timezone.localtime(order.starts_at)

    offered_elsewhere = named_expert("Elsewhere", org)
    other_order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
    offer_to(other_order, offered_elsewhere, coordinator)

    busy_other_months = named_expert("Othermonths", org, workload_limit=1)
    for shift in (timedelta(days=-45), timedelta(days=45)):
        assignment(busy_other_months, coordinator, local + shift)

    other_topic_not_now = named_expert("Othertopic", org)
    other_topic_not_now.topics_not_now.add(TopicFactory())

    applied_only = named_expert("Appliedonly", org, kinds=[])
    applied_only.kind_applications.create(kind=T, status="applied")

    fine = [offered_elsewhere, busy_other_months, other_topic_not_now]
    assert why_not_offerable(order, [e.pk for e in fine], viewer=viewer) == {}
    (reason,) = why_not_offerable(order, [applied_only.pk], viewer=viewer).values()
    assert reason.text == "Holds no kind of expert that may do this task."

    offer_to(order, offered_elsewhere, coordinator)
    (reason,) = why_not_offerable(order, [offered_elsewhere.pk], viewer=viewer).values()
    assert reason.text == "Already has an offer for this order."


def test_ranked_among_ranks_only_the_chosen_as_the_viewer_may_see_them(network):
    """Sending offers checks the chosen experts again: only those, and with what the viewer
    may see (Privati's experience areas count for her own coordinator only)."""
    order, private = network["order"], network["private"]
    own_experience = "Own experience: Psychosis experience."

    def texts(viewer):
        found = ranked_among(order, [private.pk], viewer=viewer)
        assert list(found) == [private.pk]  # Aino, also a candidate, was not asked about
        return [r.text for r in found[private.pk].reasons]

    assert own_experience in texts(network["other_coordinator"].user)
    assert own_experience not in texts(network["coordinator"].user)
    assert own_experience not in texts(None)


@pytest.fixture(params=["in SQL where it can be", "in Python: the order has requirements"])
def three_alike(request, setting):
    """Aino and two more of the coordinator's experts alike for the order; on PostgreSQL an
    order without requirements is ranked in SQL, one with requirements in Python."""
    order, coordinator = setting["order"], setting["coordinator"]
    experts = [setting["listed"]]
    for name in ("Bertta", "Cecilia"):
        expert = named_expert(name, coordinator.organisation)
        expert.topics.add(setting["topic"])
        expert.areas_own.add(setting["area"])
        experts.append(expert)
    if request.param.startswith("in Python"):
        OrderRequirements.objects.create(order=order, hospital_hygiene=True)
        for expert in [*experts, *setting["hidden"].values()]:
            Qualification.objects.create(
                expert=expert, kind="hospital_hygiene", on=timezone.localdate()
            )
    return {**setting, "experts": experts}


@pytest.mark.parametrize(("asked", "shown"), [(-3, 1), (0, 1), (1, 1), (2, 2), (3, 3), (50, 3)])
def test_match_shows_as_many_as_asked_at_least_one(three_alike, asked, shown):
    found = match(three_alike["order"], viewer=three_alike["coordinator"].user, limit=asked)
    assert len(found.shown) == shown
    assert found.total == 3
    assert set(found.experts) == {r.expert_id for r in found.shown}


def test_match_filters_on_either_path(three_alike):
    order, coordinator = three_alike["order"], three_alike["coordinator"]
    bertta = three_alike["experts"][1]
    region = RegionFactory()
    bertta.regions.add(region)
    found = match(order, viewer=coordinator.user, filters=Filters(region_id=region.pk))
    assert [r.expert_id for r in found.shown] == [bertta.pk]
    assert (found.total, found.listed) == (3, 1)
    assert (found.total_capped, found.listed_capped) == (False, False)
    found = match(order, viewer=coordinator.user)
    assert (found.total, found.listed) == (3, -1)  # no filter: no count of its own
    assert (found.total_capped, found.listed_capped) == (False, False)


def test_match_counts_only_up_to_the_cap(three_alike, monkeypatch):
    """Past the cap the page says "more than …" rather than counting everyone."""
    monkeypatch.setattr(candidates, "COUNT_CAP", 2)
    order, viewer = three_alike["order"], three_alike["coordinator"].user
    found = match(order, viewer=viewer)
    assert (found.total, found.total_capped, found.listed, found.listed_capped) == (
        2,
        True,
        -1,
        False,
    )
    found = match(order, viewer=viewer, filters=Filters(kind=T))
    assert (found.total, found.total_capped, found.listed, found.listed_capped) == (
        2,
        True,
        2,
        True,
    )
    monkeypatch.setattr(candidates, "COUNT_CAP", 3)
    found = match(order, viewer=viewer, filters=Filters(kind=T))
    assert (found.total, found.total_capped, found.listed, found.listed_capped) == (
        3,
        False,
        3,
        False,
    )


# The reasons of the facts an expert has or lacks (not their load).
FACT_CODES = {
    "topic",
    "area_own",
    "area_close",
    "language",
    "language_missing",
    "no_languages",
    "region",
    "other_region",
    "willing",
    "not_willing",
}


def fact_codes(found, expert):
    return {r.code for r in found.ranked(expert.pk).reasons} & FACT_CODES


@pytest.mark.parametrize("path", ["as it comes", "in Python: the order has requirements"])
def test_match_reads_each_fact_of_each_expert(setting, path):
    """Each fact the ranking weighs is read for each expert: topic, experience (own or as a
    close one), language, region and task type — had, missing or not given at all."""
    order, coordinator = setting["order"], setting["coordinator"]
    org = coordinator.organisation
    order.language = LanguageFactory(slug="se", name="Northern Sami")
    order.region = RegionFactory()
    order.is_remote = False
    order.save()
    lecture, workshop = TaskType.objects.get(slug="lecture"), TaskType.objects.get(slug="workshop")
    close = named_expert("Close", org)
    close.topics.add(setting["topic"])
    close.areas_close.add(setting["area"])
    close.languages.add(order.language)
    close.regions.add(order.region)
    close.task_types.add(lecture)
    other = named_expert("Other", org)  # another language, region and task type
    other.areas_own.add(setting["area"])
    other.languages.add(LanguageFactory(slug="fi", name="Finnish"))
    other.regions.add(RegionFactory())
    other.task_types.add(workshop)
    blank = named_expert("Blank", org)  # no language, region or task type given
    if path.startswith("in Python"):
        OrderRequirements.objects.create(order=order, hospital_hygiene=True)
        for expert in (close, other, blank):
            Qualification.objects.create(
                expert=expert, kind="hospital_hygiene", on=timezone.localdate()
            )
    found = match(order, viewer=coordinator.user)
    assert fact_codes(found, close) == {"topic", "area_close", "language", "region", "willing"}
    assert fact_codes(found, other) == {
        "area_own",
        "language_missing",
        "other_region",
        "not_willing",
    }
    assert fact_codes(found, blank) == {"no_languages", "other_region"}

    # A remote order weighs no region.
    order.is_remote = True
    order.save()
    found = match(order, viewer=coordinator.user)
    assert fact_codes(found, close) == {"topic", "area_close", "language", "willing"}
    assert fact_codes(found, other) == {"area_own", "language_missing", "not_willing"}


def test_match_leaves_out_only_those_the_rules_leave_out(three_alike):
    """The database's first cut (matching.candidates.prefiltered) keeps everyone the rules keep:
    a topic *not now* that is another topic, a limit used in another month, and limits of the
    same size used by different experts in the month leave each expert in the list."""
    order, coordinator = three_alike["order"], three_alike["coordinator"]
    bertta, cecilia = three_alike["experts"][1:]
    bertta.topics_not_now.add(TopicFactory())
    local = timezone.localtime(order.starts_at)
    for expert, shift in (
        (bertta, timedelta(days=-45)),
        (bertta, timedelta(days=45)),
        (cecilia, timedelta(0)),
    ):
        expert.workload_limit = 2 if shift == timedelta(0) else 1
        expert.save()
        assignment(expert, coordinator, local + shift)
    aino = three_alike["experts"][0]
    aino.workload_limit = 2
    aino.save()
    assignment(aino, coordinator, local)
    found = match(order, viewer=coordinator.user)
    assert {r.expert_id for r in found.shown} == {e.pk for e in three_alike["experts"]}
    assert found.total == 3


def test_match_lists_the_offers_sent_in_the_order_they_were_sent(setting):
    order, coordinator = setting["order"], setting["coordinator"]
    first, second = (named_expert(n, coordinator.organisation) for n in ("Eka", "Toka"))
    later = offer_to(order, first, coordinator)
    earlier = offer_to(order, second, coordinator)
    moment = timezone.now()
    Offer.objects.filter(pk=later.pk).update(sent_at=moment)
    Offer.objects.filter(pk=earlier.pk).update(sent_at=moment - timedelta(hours=1))
    found = match(order, viewer=coordinator.user)
    assert [o.pk for o in found.offered] == [earlier.pk, later.pk]
    # The same moment: the one made first comes first.
    Offer.objects.filter(pk=later.pk).update(sent_at=moment - timedelta(hours=1))
    assert [o.pk for o in match(order, viewer=coordinator.user).offered] == [later.pk, earlier.pk]


def test_the_offers_sent_cost_no_query_each(client, setting):
    """Each offer row names its expert and organisation: fetched with the offers."""
    order, coordinator = setting["order"], setting["coordinator"]
    client.force_login(coordinator.user)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url(order)).status_code == 200
        return len(context)

    offer_to(order, named_expert("Eka", coordinator.organisation), coordinator)
    one = queries()
    for n in range(4):
        offer_to(order, named_expert(f"Lisa{n}", coordinator.organisation), coordinator)
    assert queries() == one


# --- A list that fits a screen ------------------------------------------------------------


def test_each_row_shows_rank_load_and_the_two_weightiest_reasons(client, setting):
    html = page(client, setting["coordinator"].user, setting["order"]).content.decode()
    row = row_of(html, "Aino")
    summary = row.split('<details class="match-more">')[0]
    assert "Rank 1," in summary
    assert "this month 0 assignments" in summary
    top = summary.split('<ul class="match-top">')[1].split("</ul>")[0]
    assert top.count("<li>") == 2
    # Fair sharing (+15 for a year without assignments) and the topic (+40) weigh most.
    assert "Speaks on the topic: Recovery talk." in top
    # Every reason is still one click away.
    assert "Own experience: Psychosis experience." in row.split('<details class="match-more">')[1]


def test_the_send_button_counts_the_chosen_in_the_readers_language(client, setting):
    html = page(client, setting["coordinator"].user, setting["order"]).content.decode()
    bar = html.split('<div class="selection-bar">')[1].split("</div>")[0]
    assert 'data-none="No one chosen yet"' in bar and 'data-many="N experts chosen"' in bar
    assert "Send the offer to the chosen experts" in bar


def test_own_organisation_filter_on_a_network_order(client, network):
    client.force_login(network["coordinator"].user)
    html = client.get(url(network["order"]), {"own": "on"}).content.decode()
    assert "Aino" in html and "Privati" not in html
    assert "that fit the filters" in html
    assert "Clear the filters" in html


def test_region_and_kind_filters(client, setting):
    region = RegionFactory()
    setting["listed"].regions.add(region)
    named_expert("Bertta", setting["coordinator"].organisation)
    client.force_login(setting["coordinator"].user)
    html = client.get(url(setting["order"]), {"region": region.pk}).content.decode()
    assert "Aino" in html and "Bertta" not in html
    html = client.get(url(setting["order"]), {"kind": T}).content.decode()
    assert "Aino" in html and "Bertta" in html
    html = client.get(url(setting["order"]), {"region": RegionFactory().pk}).content.decode()
    assert "Aino" not in html
    assert "No expert fits the filters." in html


def test_only_kinds_that_may_do_the_task_are_offered_as_a_filter(client, setting):
    client.force_login(setting["coordinator"].user)
    html = client.get(url(setting["order"])).content.decode()
    kinds = html.split('name="kind"')[1].split("</select>")[0]
    assert f'value="{T}"' in kinds and f'value="{D}"' not in kinds
    html = client.get(url(setting["order"]), {"kind": D}).content.decode()
    assert "A filter could not be used" in html and "Aino" in html


@pytest.mark.parametrize("query", [{"region": "999999"}, {"kind": "astronaut"}, {"region": "x"}])
def test_a_filter_that_does_not_fit_is_dropped_with_a_message(client, setting, query):
    client.force_login(setting["coordinator"].user)
    response = client.get(url(setting["order"]), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A filter could not be used; the list is shown without it." in html
    assert "Aino" in html


def test_sending_keeps_the_filters_in_the_address(client, setting):
    client.force_login(setting["coordinator"].user)
    html = client.get(url(setting["order"]), {"own": "on", "show": "60"}).content.decode()
    own = html.split('name="own"')[1].split(">")[0]
    assert "checked" in own
    response = client.post(url(setting["order"]) + "?own=on", {"experts": [setting["listed"].pk]})
    assert response.status_code == 302
    assert Offer.objects.filter(order=setting["order"], expert=setting["listed"]).exists()
