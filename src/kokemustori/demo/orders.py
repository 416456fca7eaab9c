"""Demo orders at every step of the ordering path, walked there through the real services so
that timelines, agreements and fee records are what the product itself would make."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kokemustori.agreements import services as agreements
from kokemustori.agreements.models import Agreement
from kokemustori.fees import services as fees
from kokemustori.fees.models import MileageRate
from kokemustori.followup import services as followup
from kokemustori.offers import services as offers
from kokemustori.offers.models import FeeType
from kokemustori.orders import workflow
from kokemustori.orders.models import FeeChoice, Order
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import Language, Region, Topic


def _order(orderer, organisation, *, title, task_type, days, **extra):
    starts = (timezone.localtime() + timedelta(days=days)).replace(
        hour=13, minute=0, second=0, microsecond=0
    )
    values = {
        "orderer": orderer,
        "organisation": organisation,
        "task_type": TaskType.objects.get(slug=task_type),
        "title": title,
        "topic": Topic.objects.filter(slug="recovery").first(),
        "audience": "students",
        "audience_size": 45,
        "audience_notes": "Sairaanhoitajaopiskelijat, toinen vuosikurssi.",
        "topic_delimitation": "Mikä auttoi toipumisessa ja miten hoitaja voi tukea sitä.",
        "starts_at": starts,
        "location": "Vaasan ammattikorkeakoulu, luentosali A",
        "region": Region.objects.filter(slug="pohjanmaa").first(),
        "language": Language.objects.filter(slug="fi").first(),
        "expectations": "Kerro omasta toipumisestasi noin 30 minuuttia, sen jälkeen keskustelua.",
        "event_minutes": 90,
        "preparation_minutes": 120,
        "planning_minutes": 30,
        "debrief_minutes": 30,
        "travel_minutes": 60,
        "fee_choice": FeeChoice.OFFERED,
        "fee_amount": Decimal("250.00"),
        "travel_costs": "Junaliput korvataan kuitteja vastaan.",
        "planning_meeting": True,
        "planning_meeting_at": starts - timedelta(days=7),
        "debrief_by": "Lehtori Maija Malli",
        "debrief_at": starts + timedelta(hours=2),
        "access_arrangements": ["materials", "guidance"],
        "contact_name": orderer.user.get_full_name(),
        "contact_email": orderer.user.email,
        "contact_phone": orderer.phone,
    }
    values.update(extra)
    return Order.objects.create(**values)


def load_demo_orders(orderer, coordinator_user, organisation, experts):
    """`experts`: approved trained experts of `organisation`, the first is the demo login."""
    main, *others = experts
    user = orderer.user
    # A demo figure for mileage: the administrator enters each year's rate as the Tax
    # Administration decides it.
    MileageRate.objects.get_or_create(
        year=timezone.localdate().year, defaults={"rate": Decimal("0.59")}
    )

    _order(
        orderer,
        organisation,
        title="Luento: toipuminen masennuksesta",
        task_type="lecture",
        days=40,
    )

    submitted = _order(
        orderer,
        organisation,
        title="Ensitietoluento omaisille",
        task_type="first-info-lecture",
        days=30,
        audience="patients_relatives",
    )
    workflow.transition(submitted, "submit", actor=user)

    matching = _order(
        orderer,
        organisation,
        title="Asiakasraati: päivystyksen odotustilat",
        task_type="client-panel",
        days=25,
        audience="working_group",
        working_group="Päivystyksen osastonhoitaja ja kaksi sairaanhoitajaa",
        role_introduction="Puheenjohtaja esittelee asiakasraadin tehtävän kokouksen alussa.",
        fee_choice=FeeChoice.SCHEDULE,
        fee_amount=None,
        experts_needed=2,
    )
    workflow.transition(matching, "submit", actor=user)
    workflow.transition(matching, "accept", actor=coordinator_user)

    offered = _order(
        orderer,
        organisation,
        title="Luento opiskelijoille: häpeä ja leima",
        task_type="lecture",
        days=20,
    )
    workflow.transition(offered, "submit", actor=user)
    workflow.transition(offered, "accept", actor=coordinator_user)
    offers.send_offers(
        offered, [main], actor=coordinator_user, message="Tämä sopisi sinulle hyvin."
    )

    # Paid by the hour from the fee schedule: 8 group meetings of 90 minutes with their
    # preparation, a planning meeting, the debrief and travel (25 €/h × 22 h).
    group = _order(
        orderer,
        organisation,
        title="Vertaistukiryhmän ohjaaminen: toipujien ryhmä",
        task_type="peer-group",
        days=21,
        audience="clients",
        audience_size=8,
        audience_notes="Masennuksesta toipuvia aikuisia; ryhmä on suljettu.",
        topic_delimitation="",
        location="Järjestön ryhmätila, Vaasa",
        expectations="Ohjaat vertaistukiryhmää yhdessä ohjaajan kanssa kahdeksan kertaa.",
        event_minutes=8 * 90,
        preparation_minutes=8 * 30,
        planning_minutes=60,
        debrief_minutes=60,
        travel_minutes=4 * 60,
        fee_choice=FeeChoice.SCHEDULE,
        fee_amount=None,
    )
    workflow.transition(group, "submit", actor=user)
    workflow.transition(group, "accept", actor=coordinator_user)
    offers.send_offers(group, [main], actor=coordinator_user)

    def agreed(title, days, expert):
        order = _order(orderer, organisation, title=title, task_type="lecture", days=days)
        workflow.transition(order, "submit", actor=user)
        workflow.transition(order, "accept", actor=coordinator_user)
        offer = offers.send_offers(order, [expert], actor=coordinator_user)[0]
        agreement = offers.accept(expert.user, offer.pk, FeeType.WORK_COMPENSATION)
        return order, agreement

    agreed("Koulutus: kohtaaminen vastaanotolla", 15, main)

    order, agreement = agreed("Luento: arki pitkäaikaissairauden kanssa", 12, others[0])
    agreements.accept_as_orderer(user, agreement)
    agreements.accept_as_expert(others[0].user, agreement)

    # Past assignments, dated consistently: the agreement's times are its order's, and the fee
    # record (made on the second acceptance) dates from the assignment. One is done and its
    # fee overdue (20 days ago); one is closed and paid 9 days after the assignment.
    for title, expert, close in (
        ("Luento: vertaistuen merkitys", others[1], False),
        ("Luento: paluu työelämään", main, True),
    ):
        order, agreement = agreed(title, 10, expert)
        shift = timedelta(days=(9 if close else 20) + 10)
        Order.objects.filter(pk=order.pk).update(
            starts_at=order.starts_at - shift,
            debrief_at=order.debrief_at - shift,
            planning_meeting_at=order.planning_meeting_at - shift,
        )
        order.refresh_from_db()
        Agreement.objects.filter(pk=agreement.pk).update(
            starts_at=order.starts_at,
            ends_at=order.ends_at,
            debrief_at=order.debrief_at,
            planning_meeting_at=order.planning_meeting_at,
        )
        Agreement.objects.filter(pk=agreement.pk).update(
            created_at=order.starts_at - timedelta(days=10)
        )
        agreement.refresh_from_db()
        agreements.accept_as_orderer(user, agreement)
        agreements.accept_as_expert(expert.user, agreement)
        workflow.transition(order, "complete", actor=coordinator_user)
        if close:
            followup.record_debrief(
                expert.user,
                order,
                expert,
                held_at=order.debrief_at,
                held_by="Lehtori Maija Malli",
                feelings="Jännitti, mutta meni hyvin.",
                evaluation="Hyviä kysymyksiä.",
            )
            followup.give_feedback(user, order, expert, "orderer", overall=5, comment="Kiitos!")
            followup.give_feedback(
                expert.user,
                order,
                expert,
                "expert",
                expectations_clear=5,
                time_respected=4,
                treated_as_equal=5,
            )
            record = agreement.fee_record
            fees.approve(coordinator_user, record)
            fees.mark_paid(coordinator_user, record)
            workflow.transition(order, "close", actor=coordinator_user)
