import pytest
from django.core.management import call_command

from kokemustori.agreements.models import Agreement
from kokemustori.experts.models import Expert, KindApplication
from kokemustori.fees.models import FeeStatus
from kokemustori.kinds import ExpertKind
from kokemustori.orderers.models import Orderer
from kokemustori.orders.models import Order, OrderState
from kokemustori.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_data_covers_every_kind_and_every_step_and_loads_once():
    call_command("load_demo_data")
    assert Organisation.objects.count() == 3
    assert Expert.objects.count() >= 60
    granted = set(
        KindApplication.objects.filter(status=KindApplication.GRANTED).values_list(
            "kind", flat=True
        )
    )
    assert granted == set(ExpertKind.values)
    states = set(Order.objects.values_list("state", flat=True))
    assert {
        OrderState.DRAFT,
        OrderState.SUBMITTED,
        OrderState.MATCHING,
        OrderState.OFFERED,
        OrderState.AGREED,
        OrderState.DONE,
        OrderState.CLOSED,
    } <= states
    assert Agreement.objects.filter(fee_record__status=FeeStatus.PAID).exists()
    # The demo orderer is verified; one more orderer waits for a coordinator.
    assert Orderer.objects.get(user__email="tilaaja@example.org").is_verified
    assert Orderer.objects.get(user__email="uusitilaaja@example.org").verification == "pending"

    experts, orders = Expert.objects.count(), Order.objects.count()
    call_command("load_demo_data")  # a second run changes nothing
    assert (Expert.objects.count(), Order.objects.count()) == (experts, orders)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fi", "Mielenterveys- ja päihdetyön kokemusosaajia vuodesta 2012."),
        ("sv", "Erfarenhetsexperter inom psykisk hälsa och missbruk sedan 2012."),
        ("en", "Experience experts in mental health and substance use since 2012."),
    ],
)
def test_the_demo_organisations_are_described_in_each_language(client, language, text):
    call_command("load_demo_data")
    page = client.get(f"/{language}/join/").content.decode()
    assert text in page
