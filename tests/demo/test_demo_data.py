from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kokemustori.agreements.models import Agreement
from kokemustori.experts.models import Expert, KindApplication
from kokemustori.fees.models import FeeStatus
from kokemustori.followup.models import Feedback
from kokemustori.kinds import ExpertKind
from kokemustori.orderers.models import Orderer
from kokemustori.orders.models import Order, OrderState
from kokemustori.organisations.models import Organisation
from kokemustori.reports import figures
from kokemustori.reports.access import reader
from kokemustori.reports.figures import Period, Scope
from kokemustori.reports.models import NetworkAdministrator

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


def test_the_demo_holds_a_year_of_history_for_the_reports():
    call_command("load_demo_data")
    network = NetworkAdministrator.objects.get(user__email="verkosto@example.org").user
    ids = frozenset(reader(network).organisations.values_list("pk", flat=True))
    today = timezone.localdate()
    year = Period(today - timedelta(days=364), today)
    report = figures.report(year, Scope(ids))
    # Orders arrive in every month of the year, and work is done in all but the newest.
    assert all(m.received > 0 for m in report.months[1:])
    assert sum(1 for m in report.months if m.done > 0) >= 10
    assert report.total.done >= 50 and report.total.hours > 100
    assert report.timings["review"].count > 100
    assert report.offers["declined"] > 0 and report.offers["expired"] > 0
    assert report.pay.paid >= 50 and report.pay.fees != "< 5"
    assert report.wellbeing.debriefs != "< 5"
    assert report.sharing.eligible != "< 5" and report.sharing.gini not in (None, "< 5")
    ratings = report.feedback[Feedback.ORDERER_ON_ASSIGNMENT]
    assert sum(1 for m in ratings.values() if m["overall"] != "< 5") >= 6
    # The demo orderer sees their organisation's orders (sent by colleagues).
    orderer = reader(Orderer.objects.get(user__email="tilaaja@example.org").user)
    mine = figures.report(year, Scope(orderer_organisation=orderer.orderer_organisation))
    assert 0 < mine.total.done < report.total.done
