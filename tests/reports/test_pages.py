"""The reports page and its CSV: who may open them, what they show, and a constant number of
queries whatever the number of orders."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kokemustori.offers.models import Offer, OfferState
from kokemustori.orderers.models import Verification
from kokemustori.orders.models import OrderState
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory
from tests.factories.fees import helsinki
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db

JUNE = {"kind": "month", "year": "2026", "month": "6"}


def url(name, language="en"):
    with translation.override(language):
        return reverse(name)


def done_orders(organisation, n, experts_each=1):
    """n assignments done in June 2026, each with its own experts."""
    for i in range(n):
        order = OrderFactory(
            organisation=organisation,
            state=OrderState.DONE,
            starts_at=helsinki(2026, 6, 1 + i % 28),
            submitted_at=helsinki(2026, 5, 20),
        )
        for _ in range(experts_each):
            Offer.objects.create(
                order=order,
                expert=ExpertFactory(organisation=organisation),
                state=OfferState.ACCEPTED,
                expires_at=order.starts_at,
            )


@pytest.fixture
def coordinator(client):
    coordinator = CoordinatorFactory()
    client.force_login(coordinator.user)
    return coordinator


@pytest.mark.parametrize(
    ("language", "heading", "figure"),
    [
        ("fi", "Raportit", "Tehdyt toimeksiannot"),
        ("sv", "Rapporter", "Utförda uppdrag"),
        ("en", "Reports", "Assignments done"),
    ],
)
def test_a_coordinator_sees_the_figures_in_their_language(
    client, coordinator, language, heading, figure
):
    done_orders(coordinator.organisation, 2)
    response = client.get(url("reports:index", language), JUNE)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert figure in body
    assert 'role="img"' in body and '<title id="chart-done-title">' in body
    # Two assignments in June, two experts: shown as "< 5".
    assert "<dt>" + figure + "</dt><dd>2</dd>" in body
    assert "&lt; 5" in body


def test_the_chart_has_a_bar_for_each_month_and_a_text_summary(client, coordinator):
    done_orders(coordinator.organisation, 3)
    response = client.get(url("reports:index"), {"kind": "year", "year": "2026"})
    body = response.content.decode()
    # Three charts (assignments, hours, orders received), twelve bars each.
    assert body.count('<rect class="bar"') == 36
    assert "Assignments done by month from 01/01/2026 to 12/31/2026, 3 in all." in body
    assert "May 2026: 0, June 2026: 3, July 2026: 0" in body
    assert "Jun</text>" in body


@pytest.mark.parametrize("who", ["unverified orderer", "expert"])
def test_others_are_refused(client, who):
    if who == "expert":
        user = ExpertFactory().user
    else:
        user = OrdererFactory(verification=Verification.PENDING).user
    client.force_login(user)
    assert client.get(url("reports:index")).status_code == 403
    assert client.get(url("reports:export_csv")).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client):
    for name in ("reports:index", "reports:export_csv"):
        response = client.get(url(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_bad_dates_are_refused_with_a_translated_error_keeping_what_was_typed(client, coordinator):
    response = client.get(
        url("reports:index", "fi"),
        {"kind": "custom", "start": "2026-05-10", "end": "2026-04-01"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Viimeinen päivä ei voi olla ennen ensimmäistä." in body
    assert 'value="2026-05-10"' in body and 'value="2026-04-01"' in body
    response = client.get(url("reports:index"), {"kind": "custom", "start": "31.2.2026"})
    body = response.content.decode()
    assert 'value="31.2.2026"' in body
    assert "Enter a valid date." in body


def test_the_page_makes_the_same_number_of_queries_for_2_and_20_orders(client, coordinator):
    done_orders(coordinator.organisation, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("reports:index"), JUNE).status_code == 200
    done_orders(coordinator.organisation, 18, experts_each=2)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("reports:index"), JUNE).status_code == 200
    assert len(few) == len(many)


def test_the_csv_holds_the_monthly_table(client, coordinator):
    done_orders(coordinator.organisation, 6)
    response = client.get(
        url("reports:export_csv"), {"kind": "custom", "start": "2026-05-01", "end": "2026-06-30"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="report-2026-05-01-2026-06-30.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    # The monthly table first; the other tables follow, each after an empty row and its title.
    assert ["By task type"] in rows and ["Fair sharing"] in rows
    rows = rows[: rows.index([])]
    assert rows == [
        [
            "Month",
            "Assignments done",
            "Experts who took part",
            "Hours of experience work done",
            "Hours of experience work asked",
            "Audiences reached",
            "Orders received",
            "Orders declined",
            "Orders cancelled",
        ],
        # Received in May (sent 20 May), done in June: 6 experts × 330 minutes = 33 hours,
        # asked by 6 orders of one expert each: 33 hours too.
        ["2026-05", "0", "0", "0.0", "0.0", "0", "6", "0", "0"],
        ["2026-06", "6", "6", "33.0", "33.0", "240", "0", "0", "0"],
        ["Whole period", "6", "6", "33.0", "33.0", "240", "6", "0", "0"],
    ]


def test_the_csv_of_a_bad_period_is_a_400_naming_the_error(client, coordinator):
    response = client.get(url("reports:export_csv"), {"kind": "custom", "start": "2026-01-01"})
    assert response.status_code == 400
    assert "Give the last day of the period." in response.content.decode()


def test_the_coordinators_navigation_and_dashboard_link_to_reports(client, coordinator):
    body = client.get(url("pages:dashboard")).content.decode()
    assert body.count(f'href="{url("reports:index")}"') == 2


def test_a_default_period_is_this_year(client, coordinator):
    body = client.get(url("reports:index")).content.decode()
    today = date.today()
    assert f'value="{today.year}"' in body
    assert body.count('<rect class="bar"') == 36
