"""Per-order requirements: the rule, and matching that lists only the experts who meet them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kokemustori.offers.models import Offer
from kokemustori.orders.models import OrderState
from kokemustori.requirements.checks import Held, Needs, unmet
from kokemustori.requirements.models import OrderRequirements, Qualification
from tests.factories import CoordinatorFactory, ExpertFactory, ExpertKind, UserFactory
from tests.factories.orders import order_in_state

T = ExpertKind.TRAINED_EXPERT
DAY = date(2027, 3, 15)


# --- the pure rule ------------------------------------------------------------------------


def test_nothing_required_is_always_met():
    assert unmet(Needs(day=DAY), Held()) == []


def test_a_missing_extract_and_training_are_both_named():
    needs = Needs(day=DAY, criminal_record=True, hospital_hygiene=True)
    assert unmet(needs, Held()) == [
        "No coordinator has recorded seeing their criminal-record extract.",
        "Hospital hygiene training is not recorded.",
    ]


def test_an_extract_counts_until_its_date_and_not_after():
    needs = Needs(day=DAY, criminal_record=True)
    assert unmet(needs, Held(valid_until={"criminal_record": None})) == []
    assert unmet(needs, Held(valid_until={"criminal_record": DAY})) == []
    assert unmet(needs, Held(valid_until={"criminal_record": DAY - timedelta(days=1)})) == [
        "The criminal-record extract they showed counts only until 03/14/2027."
    ]


def test_a_language_level_meets_the_levels_below_it_only():
    needs = Needs(day=DAY, language_id=7, language_name="Swedish", language_level="good")
    assert unmet(needs, Held(language_levels={7: ("fluent", None)})) == []
    assert unmet(needs, Held(language_levels={7: ("good", None)})) == []
    assert unmet(needs, Held(language_levels={7: ("basic", None)})) == [
        "Swedish at the level good: can work in the language is not recorded."
    ]
    assert unmet(needs, Held(language_levels={8: ("native", None)})) == [
        "Swedish at the level good: can work in the language is not recorded."
    ]


# --- through the pages --------------------------------------------------------------------


@pytest.fixture
def setting(db):
    coordinator = CoordinatorFactory()
    org = coordinator.organisation
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
    seen = ExpertFactory(
        user=UserFactory(first_name="Seenq", last_name="Kettu-7"), organisation=org, kinds=[T]
    )
    unseen = ExpertFactory(
        user=UserFactory(first_name="Unseenq", last_name="Kettu-8"), organisation=org, kinds=[T]
    )
    return {"order": order, "coordinator": coordinator, "seen": seen, "unseen": unseen}


def set_requirements(client, setting, **data):
    client.force_login(setting["coordinator"].user)
    return client.post(reverse("requirements:order", args=[setting["order"].pk]), data)


def test_a_required_extract_filters_matching_with_the_reason(client, setting):
    order, seen, unseen = setting["order"], setting["seen"], setting["unseen"]
    assert set_requirements(client, setting, criminal_record="on").status_code == 302
    response = client.post(
        reverse("requirements:expert", args=[seen.pk]),
        {"kind": "criminal_record", "on": timezone.localdate().isoformat(), "extract_recent": "on"},
    )
    assert response.status_code == 302
    recorded = Qualification.objects.get(expert=seen)
    assert recorded.kind == "criminal_record"
    assert recorded.recorded_by == setting["coordinator"].user

    html = client.get(reverse("matching:order", args=[order.pk])).content.decode()
    assert "This order has requirements" in html
    assert "A criminal-record extract seen by a coordinator" in html
    assert "Seenq" in html
    assert "Unseenq" not in html

    # Offering to the one who does not meet it is refused with the reason (own organisation).
    response = client.post(
        reverse("matching:order", args=[order.pk]), {"experts": [str(unseen.pk)]}
    )
    assert response.status_code == 200
    assert "No coordinator has recorded seeing their criminal-record extract." in (
        response.content.decode()
    )
    assert not Offer.objects.filter(order=order).exists()


def test_the_order_page_shows_the_requirements(client, setting):
    set_requirements(client, setting, hospital_hygiene="on")
    html = client.get(reverse("orders:detail", args=[setting["order"].pk])).content.decode()
    assert "Hospital hygiene training" in html
    client.force_login(setting["order"].orderer.user)
    html = client.get(reverse("orders:detail", args=[setting["order"].pk])).content.decode()
    assert "Hospital hygiene training" in html
    assert "Set the requirements" not in html


def test_an_expired_training_does_not_count(client, setting):
    order = setting["order"]
    set_requirements(client, setting, hospital_hygiene="on")
    day_before = timezone.localtime(order.starts_at).date() - timedelta(days=1)
    for expert, until in ((setting["seen"], ""), (setting["unseen"], day_before.isoformat())):
        client.post(
            reverse("requirements:expert", args=[expert.pk]),
            {
                "kind": "hospital_hygiene",
                "on": (timezone.localdate() - timedelta(days=400)).isoformat(),
                "valid_until": until,
            },
        )
    assert Qualification.objects.count() == 2
    html = client.get(reverse("matching:order", args=[order.pk])).content.decode()
    assert "Seenq" in html
    assert "Unseenq" not in html


def test_an_extract_older_than_six_months_is_refused_and_the_form_keeps_the_date(client, setting):
    client.force_login(setting["coordinator"].user)
    response = client.post(
        reverse("requirements:expert", args=[setting["seen"].pk]),
        {"kind": "criminal_record", "on": "2026-11-20"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The law asks for an extract at most six months old." in html
    assert 'value="2026-11-20"' in html
    assert not Qualification.objects.exists()


def test_a_language_level_needs_the_order_language(client, setting):
    order = setting["order"]
    order.language = None
    order.save(update_fields=["language"])
    response = set_requirements(client, setting, language_level="good")
    assert response.status_code == 400
    assert "The order names no language." in response.content.decode()
    assert not OrderRequirements.objects.exists()


def test_only_the_experts_own_coordinators_record_for_them(client, setting):
    client.force_login(CoordinatorFactory().user)
    url = reverse("requirements:expert", args=[setting["seen"].pk])
    assert client.get(url).status_code == 404
    data = {"kind": "hospital_hygiene", "on": timezone.localdate().isoformat()}
    assert client.post(url, data).status_code == 404
    assert not Qualification.objects.exists()
