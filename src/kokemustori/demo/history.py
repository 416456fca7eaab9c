"""A year of past work for the reports: orders sent, reviewed, offered, agreed, done, debriefed
and paid over the twelve months before today, with feedback both ways and support asked.

Built as rows with their own past dates (the services stamp everything "now"), by colleagues
of the demo orderer and by orderers of two other organisations, so the demo logins' own pages
stay as load_demo_orders made them. The demo expert's login takes no part either.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.experts.models import Expert
from kokemustori.fees import services as fees
from kokemustori.fees.models import FeeRecord, FeeStatus
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orderers.models import Orderer, Verification
from kokemustori.orders.models import FeeChoice, Order, OrderEvent, OrderState
from kokemustori.reports.models import NetworkAdministrator
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import Language, Region

ORDERERS = [
    ("tilaaja2@example.org", "Päivi", "Peltonen", "Pohjanmaan hyvinvointialue", "Aikuispsykiatria"),
    ("tilaaja3@example.org", "Jari", "Jokela", "Pohjanmaan hyvinvointialue", "Päihdepalvelut"),
    ("tilaaja4@example.org", "Mervi", "Mäki", "Pohjanmaan hyvinvointialue", "Sosiaalityö"),
    ("tilaaja5@example.org", "Sanna", "Salo", "Vaasan ammattikorkeakoulu", "Sosiaaliala"),
    ("tilaaja6@example.org", "Timo", "Toivonen", "Vaasan ammattikorkeakoulu", "Hoitotyö"),
    ("tilaaja7@example.org", "Anders", "Berg", "Österbottens välfärdsområde", "Barnskydd"),
    ("tilaaja8@example.org", "Lena", "Holm", "Österbottens välfärdsområde", "Psykiatri"),
    ("tilaaja9@example.org", "Riikka", "Rinne", "Seinäjoen kaupunki", "Nuorisopalvelut"),
    ("tilaaja10@example.org", "Olli", "Ojala", "Kokkolan yliopistokeskus", "Aikuiskoulutus"),
]
TITLES = [
    "Luento toipumisesta",
    "Kokemuspuheenvuoro henkilökunnan koulutuspäivässä",
    "Asiakasraadin kokous",
    "Työpaja palvelupolun kehittämiseen",
    "Ensitietoluento omaisille",
    "Vertaistukiryhmän tapaaminen",
]


def _user(email, first, last, password):
    User = get_user_model()
    user = User(email=email, first_name=first, last_name=last, password=password)
    user.save()
    return user


def load_network_administrator(password):
    """The demo network administrator: reads every organisation's reports."""
    user = _user("verkosto@example.org", "Ville", "Verkosto", password)
    NetworkAdministrator.objects.create(user=user)
    return user


def _eligible(experts, task_type):
    allowed = set(task_type.allowed_kinds or [])
    return [e for e in experts if not allowed or allowed & set(e.held_kinds())]


def load_history(organisations, coordinator_users, password, *, seed=2026, months=12):
    """About twenty orders a month over the `months` before today."""
    rng = random.Random(seed)
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    orderers = [
        Orderer.objects.create(
            user=_user(email, first, last, password),
            organisation_name=organisation,
            unit=unit,
            verification=Verification.VERIFIED,
        )
        for email, first, last, organisation, unit in ORDERERS
    ]
    task_types = list(TaskType.objects.filter(is_active=True))
    regions = list(Region.objects.all())
    language = Language.objects.filter(slug="fi").first()
    experts = {
        org.pk: list(
            Expert.objects.approved()
            .filter(organisation=org, on_break=False)
            .exclude(user__email="asiantuntija@example.org")
            .prefetch_related("kind_applications")
        )
        for org in organisations
    }
    days = months * 30
    for n in range(months * 20):
        sent = now - timedelta(days=days - n * days // (months * 20), hours=rng.randint(0, 8))
        organisation = rng.choice([*organisations, None])  # some orders go to the network
        in_charge = organisation or rng.choice(organisations)
        coordinator = coordinator_users[organisations.index(in_charge)]
        task_type = rng.choice(task_types)
        pool = _eligible(experts[in_charge.pk], task_type)
        if not pool:
            continue
        starts = sent + timedelta(days=rng.randint(14, 45))
        order = Order.objects.create(
            orderer=rng.choice(orderers),
            organisation=organisation,
            task_type=task_type,
            title=rng.choice(TITLES),
            audience="professionals",
            audience_size=rng.choice((8, 12, 20, 30, 45, 60, 120)),
            starts_at=starts,
            location="Vaasa",
            region=rng.choice(regions) if regions else None,
            language=language,
            event_minutes=rng.choice((60, 90, 120)),
            preparation_minutes=rng.choice((60, 120)),
            planning_minutes=30,
            debrief_minutes=30,
            travel_minutes=rng.choice((0, 60, 120)),
            experts_needed=rng.choice((1, 1, 1, 2)),
            fee_choice=FeeChoice.OFFERED,
            fee_amount=Decimal(rng.choice(("150.00", "200.00", "250.00"))),
            planning_meeting=rng.random() < 0.7,
            submitted_at=sent,
            state=OrderState.SUBMITTED,
        )
        _walk(rng, order, coordinator, pool, sent, now)


def _event(order, at, action, from_state, to_state, actor):
    OrderEvent.objects.create(
        order=order, at=at, action=action, from_state=from_state, to_state=to_state, actor=actor
    )


def _walk(rng, order, coordinator, pool, sent, now):
    """Take one order along the path as far as its dates allow."""
    reviewed = sent + timedelta(hours=rng.choice((3, 20, 26, 50, 75, 120, 200)))
    if reviewed > now:
        return
    fate = rng.random()
    if fate < 0.07:
        _event(order, reviewed, "decline", OrderState.SUBMITTED, OrderState.DECLINED, coordinator)
        Order.objects.filter(pk=order.pk).update(state=OrderState.DECLINED)
        return
    _event(order, reviewed, "accept", OrderState.SUBMITTED, OrderState.MATCHING, coordinator)
    offered_at = reviewed + timedelta(hours=rng.choice((2, 10, 30, 60, 100)))
    if offered_at > now:
        Order.objects.filter(pk=order.pk).update(state=OrderState.MATCHING)
        return
    chosen = rng.sample(pool, min(len(pool), order.experts_needed + rng.choice((0, 1, 2))))
    accepted = []
    for expert in chosen:
        answered = offered_at + timedelta(hours=rng.choice((4, 12, 30, 70)))
        roll = rng.random()
        if len(accepted) < order.experts_needed and roll < 0.75:
            state = OfferState.ACCEPTED
        elif roll < 0.9:
            state = OfferState.DECLINED
        else:
            state = OfferState.EXPIRED
        offer = Offer.objects.create(
            order=order,
            expert=expert,
            state=state,
            sent_by=coordinator,
            sent_at=offered_at,
            expires_at=offered_at + timedelta(days=3),
            responded_at=answered if state != OfferState.EXPIRED else None,
            fee_type=FeeType.WORK_COMPENSATION if state == OfferState.ACCEPTED else "",
        )
        if state == OfferState.ACCEPTED:
            accepted.append((offer, answered))
    _event(order, offered_at, "offer", OrderState.MATCHING, OrderState.OFFERED, coordinator)
    if not accepted:
        Order.objects.filter(pk=order.pk).update(state=OrderState.OFFERED)
        return
    if rng.random() < 0.06:
        cancelled = offered_at + timedelta(days=2)
        if cancelled <= now:
            _event(order, cancelled, "cancel", OrderState.OFFERED, OrderState.CANCELLED, None)
            Order.objects.filter(pk=order.pk).update(state=OrderState.CANCELLED)
            return
    agreed_at = max(a for _, a in accepted) + timedelta(hours=rng.choice((2, 20, 40)))
    for offer, _answered in accepted:
        agreement = Agreement.objects.create(
            offer=offer,
            order=order,
            expert=offer.expert,
            state=AgreementState.ACCEPTED,
            tasks=order.title,
            starts_at=order.starts_at,
            fee_amount=order.fee_amount,
            fee_type=FeeType.WORK_COMPENSATION,
            cancellation_terms="Peruutus viimeistään viikkoa ennen.",
            orderer_contact=order.orderer.user.get_full_name(),
            expert_legal_name=offer.expert.legal_name,
            expert_public_name=offer.expert.display_name,
            orderer_accepted_at=agreed_at - timedelta(hours=1),
            expert_accepted_at=agreed_at,
        )
        Agreement.objects.filter(pk=agreement.pk).update(created_at=agreed_at)
        offer.agreement = agreement
    _event(order, agreed_at, "agree", OrderState.OFFERED, OrderState.AGREED, coordinator)
    Order.objects.filter(pk=order.pk).update(seats_taken=len(accepted))
    if order.starts_at + timedelta(hours=3) > now:
        Order.objects.filter(pk=order.pk).update(state=OrderState.AGREED)
        return
    done_at = order.starts_at + timedelta(hours=3)
    _event(order, done_at, "done", OrderState.AGREED, OrderState.DONE, coordinator)
    state = rng.choice((OrderState.DONE, OrderState.DEBRIEFED, OrderState.CLOSED))
    Order.objects.filter(pk=order.pk).update(state=state)
    for offer, _answered in accepted:
        _after(rng, order, offer, coordinator, done_at, now, state)


def _after(rng, order, offer, coordinator, done_at, now, state):
    """The fee, the debrief and the feedback of one expert's part."""
    record = fees.create_for_agreement(offer.agreement)
    paid_at = done_at + timedelta(days=rng.choice((3, 6, 9, 12, 13, 16, 21, 35)))
    if paid_at <= now and rng.random() < 0.9:
        FeeRecord.objects.filter(pk=record.pk).update(
            status=FeeStatus.PAID,
            approved_at=paid_at - timedelta(days=1),
            approved_by=coordinator,
            paid_at=paid_at,
            paid_by=coordinator,
            expenses_amount=Decimal(rng.choice(("0", "0", "12.40", "24.80", "38.00"))),
        )
    elif rng.random() < 0.5:
        FeeRecord.objects.filter(pk=record.pk).update(status=FeeStatus.APPROVED)
    if state in (OrderState.DEBRIEFED, OrderState.CLOSED):
        held = done_at + timedelta(hours=1)
        wants = rng.random() < 0.15
        handled = held + timedelta(days=rng.choice((1, 2, 3, 6))) if wants else None
        debrief = Debrief.objects.create(
            order=order,
            expert=offer.expert,
            held_at=held,
            held_by="Koordinaattori",
            wants_support=wants,
            support_handled_at=handled if handled and handled <= now else None,
            support_handled_by=coordinator if handled and handled <= now else None,
            recorded_by=coordinator,
        )
        Debrief.objects.filter(pk=debrief.pk).update(created_at=held)
    given = done_at + timedelta(days=rng.choice((1, 2, 5)))
    if given > now:
        return
    if rng.random() < 0.8:
        item = Feedback.objects.create(
            order=order,
            expert=offer.expert,
            direction=Feedback.ORDERER_ON_ASSIGNMENT,
            overall=rng.choice((3, 4, 4, 5, 5, 5)),
            given_by=order.orderer.user,
        )
        Feedback.objects.filter(pk=item.pk).update(created_at=given)
    if rng.random() < 0.7:
        item = Feedback.objects.create(
            order=order,
            expert=offer.expert,
            direction=Feedback.EXPERT_ON_ORDERER,
            expectations_clear=rng.choice((2, 3, 4, 4, 5, 5)),
            time_respected=rng.choice((3, 4, 5, 5)),
            treated_as_equal=rng.choice((3, 4, 4, 5, 5, 5)),
            given_by=offer.expert.user,
        )
        Feedback.objects.filter(pk=item.pk).update(created_at=given)
