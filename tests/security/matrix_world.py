"""The one world that tests/security/test_authorisation_matrix.py walks every URL through.

Ten people, one per role, and one representative object of every kind the URLs take. Every
private field holds a unique marker string (all contain MARK, except SUPPORT_WISH: the one
sentence that only a debrief's support wish puts on a page), so that finding a marker in a
response body where it does not belong means a leak. `World.markers` says whose each marker is
and how private it is:

* CONTACT: legal name, e-mail, phone, municipality. An orderer may see an expert's contact only
  once they have an agreement with the expert (the agreement pages).
* PRIVATE: private but not health data (training records, the expert's feedback on the orderer,
  the fee record's expenses).
* SPECIAL: special-category data (experience story, experience areas the expert hid, topics
  marked *not now*, the debrief's feelings and evaluation).

Only the expert themself and the coordinators of the expert's own organisation see all three.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from kokemustori.agreements import services as agreement_services
from kokemustori.calendars import feeds as calendar_feeds
from kokemustori.conversations import services as conversation_services
from kokemustori.conversations.models import Message
from kokemustori.experts.models import ExpertStatus, KindApplication
from kokemustori.fees import services as fee_services
from kokemustori.followup import services as followup_services
from kokemustori.followup.models import Feedback
from kokemustori.kinds import ExpertKind
from kokemustori.notifications.models import Notice
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType
from kokemustori.opencalls import services as opencall_services
from kokemustori.orderers.models import Verification
from kokemustori.orders import workflow
from kokemustori.orders.models import Order, OrderState
from kokemustori.outbox import services as outbox_services
from kokemustori.outbox.models import OutboundEmail, State
from kokemustori.reports.models import NetworkAdministrator
from kokemustori.requirements.models import Qualification
from kokemustori.series import services as series_services
from kokemustori.series.models import SeriesFee
from kokemustori.tasktypes.models import FeeBasis, FeeSchedule
from tests.factories import (
    AreaFactory,
    CoordinatorFactory,
    ExpertFactory,
    KindApplicationFactory,
    LanguageFactory,
    OrdererFactory,
    OrganisationFactory,
    TopicFactory,
    TrainingFactory,
    UserFactory,
)
from tests.factories.orders import OrderFactory, offer_to

User = get_user_model()

MARK = "MXQ"  # every marker contains this; nothing else in the project does

CONTACT, PRIVATE, SPECIAL = "contact", "private", "special"
SUPPORT_WISH = "Support was asked for"  # followup/debrief.html, in English

# The roles, in the order the matrix lists them.
ANON = "anonymous"
APPLICANT = "applicant"
EXPERT = "expert"
EXPERT_B = "expert_b"
ORDERER = "orderer"
ORDERER_B = "orderer_b"
ORDERER_U = "orderer_unverified"  # registered, waiting for verification: drafts only
COORD_A = "coord_a"
COORD_B = "coord_b"
ADMIN = "admin"
NETWORK = "network_admin"  # reads every organisation's reports, nothing else
ROLES = (
    ANON,
    APPLICANT,
    EXPERT,
    EXPERT_B,
    ORDERER,
    ORDERER_B,
    ORDERER_U,
    COORD_A,
    COORD_B,
    ADMIN,
    NETWORK,
)
A_READERS = frozenset({COORD_A})


@dataclass(frozen=True)
class Marker:
    text: str
    owner: str  # the role whose data it is
    readers: frozenset  # other roles that may always read it (the owner's coordinators)
    level: str  # CONTACT, PRIVATE or SPECIAL
    vocabulary: bool = False  # a vocabulary name: only the link to the person is private


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> user pk (no entry for ANON)
    pks: dict = field(default_factory=dict)  # object name -> pk
    markers: list = field(default_factory=list)
    # The two parties of the representative agreement: on the pages of that agreement each
    # may see the other's contact (CONTACT markers).
    partners: dict = field(default_factory=lambda: {ORDERER: EXPERT, EXPERT: ORDERER})

    def __getitem__(self, name):
        return self.pks[name]


# Marker tags: none is a prefix of another, so that no marker is a substring of another.
TAGS = {
    APPLICANT: "APPL",
    EXPERT: "EXPA",
    EXPERT_B: "EXPB",
    ORDERER: "ORDA",
    ORDERER_B: "ORDB",
    ORDERER_U: "ORDU",
}


def _expert_with_markers(world, role, organisation, readers, **kwargs):
    tag = TAGS[role]
    user = UserFactory(
        first_name=f"{MARK}-FIRST-{tag}",
        last_name=f"{MARK}-LAST-{tag}",
        email=f"{MARK.lower()}-mail-{tag.lower()}@example.org",
    )
    hidden_area = AreaFactory(name=f"{MARK}-AREA-{tag}", is_active=False)
    not_now = TopicFactory(name=f"{MARK}-NOTNOW-{tag}", is_active=False)
    expert = ExpertFactory(
        user=user,
        organisation=organisation,
        uses_pseudonym=True,
        pseudonym=f"Pseudonym {tag.title()}",
        phone=f"{MARK}-PHONE-{tag}",
        municipality=f"{MARK}-MUNICIPALITY-{tag}",
        experience_story=f"{MARK}-STORY-{tag}: my diagnosis and hospital stays.",
        show_areas=False,
        show_story=False,
        **kwargs,
    )
    expert.areas_own.add(hidden_area)
    expert.topics_not_now.add(not_now)
    expert.languages.add(LanguageFactory(slug="fi", name="Finnish", name_fi="suomi"))
    training = TrainingFactory(
        expert=expert,
        organiser=f"{MARK}-TRAINING-{tag} rehabilitation course",
        review_note=f"{MARK}-TRAININGNOTE-{tag}",
    )
    for text, level in [
        (user.first_name, CONTACT),
        (user.last_name, CONTACT),
        (user.email, CONTACT),
        (expert.phone, CONTACT),
        (expert.municipality, CONTACT),
        (f"{MARK}-STORY-{tag}", SPECIAL),
        (f"{MARK}-TRAINING-{tag}", PRIVATE),
        (training.review_note, PRIVATE),
    ]:
        world.markers.append(Marker(text, role, readers, level))
    # Inactive, so that the names are not in the catalogue's filter lists: found on a page,
    # they can only have come from this expert's profile.
    for name in (hidden_area.name, not_now.name):
        world.markers.append(Marker(name, role, readers, SPECIAL, vocabulary=True))
    world.users[role] = user.pk
    world.pks.update(
        {
            f"{role}_expert": expert.pk,
            f"{role}_user": user.pk,
            f"{role}_training": training.pk,
            f"{role}_area": hidden_area.pk,
            f"{role}_not_now": not_now.pk,
        }
    )
    return expert


def _orderer_with_markers(world, role, readers, **kwargs):
    tag = TAGS[role]
    orderer = OrdererFactory(
        user=UserFactory(email=f"{MARK.lower()}-mail-{tag.lower()}@example.org"),
        phone=f"{MARK}-PHONE-{tag}",
        billing_details=f"{MARK}-BILLING-{tag}",
        **kwargs,
    )
    for text in (orderer.user.email, orderer.phone, orderer.billing_details):
        world.markers.append(Marker(text, role, readers, CONTACT))
    world.users[role] = orderer.user_id
    world.pks[f"{role}_orderer"] = orderer.pk
    world.pks[f"{role}_user"] = orderer.user_id
    return orderer


def build_world() -> World:
    world = World()
    org_a = OrganisationFactory(name="Matrix organisation A", slug="matrix-a")
    org_b = OrganisationFactory(name="Matrix organisation B", slug="matrix-b")
    world.pks.update(org_a=org_a.pk, org_b=org_b.pk)

    coord_a = CoordinatorFactory(organisation=org_a)
    coord_b = CoordinatorFactory(organisation=org_b)
    admin = UserFactory(is_staff=True, is_superuser=True)
    world.users.update({COORD_A: coord_a.user_id, COORD_B: coord_b.user_id, ADMIN: admin.pk})
    network = NetworkAdministrator.objects.create(user=UserFactory()).user
    world.users[NETWORK] = network.pk

    # The applicant: an application waiting for review, with a kind applied for.
    applicant = _expert_with_markers(
        world, APPLICANT, org_a, A_READERS, status=ExpertStatus.SUBMITTED
    )
    world.pks["applicant_kind"] = KindApplicationFactory(
        expert=applicant, kind=ExpertKind.TRAINED_EXPERT
    ).pk

    # The expert of A (approved, trained expert, a further kind waiting) and the expert of B.
    expert = _expert_with_markers(
        world, EXPERT, org_a, A_READERS, kinds=[ExpertKind.TRAINED_EXPERT]
    )
    world.pks["expert_kind"] = KindApplicationFactory(
        expert=expert, kind=ExpertKind.DEVELOPER_CLIENT, status=KindApplication.APPLIED
    ).pk
    _expert_with_markers(
        world, EXPERT_B, org_b, frozenset({COORD_B}), kinds=[ExpertKind.TRAINED_EXPERT]
    )

    # The coordinators in charge of an orderer's orders see the orderer's contact: A for the
    # orderer's orders, every organisation for the network order of the other orderer.
    orderer = _orderer_with_markers(world, ORDERER, A_READERS)
    orderer_b = _orderer_with_markers(world, ORDERER_B, frozenset({COORD_A, COORD_B}))
    # Waiting for verification: every coordinator of the network may decide, so all see them.
    orderer_u = _orderer_with_markers(
        world, ORDERER_U, frozenset({COORD_A, COORD_B}), verification=Verification.PENDING
    )

    # The representative order: orderer's, handled by A, taken all the way to feedback.
    order = OrderFactory(orderer=orderer, organisation=org_a)
    workflow.transition(order, "submit", actor=orderer.user)
    workflow.transition(order, "accept", actor=coord_a.user)
    offer = offer_to(order, expert, coord_a)
    agreement = offer_services.accept(expert.user, offer.pk, FeeType.WORK_COMPENSATION)
    agreement_services.accept(orderer.user, agreement)
    agreement_services.accept(expert.user, agreement)
    agreement.refresh_from_db()
    fee_record = fee_services.set_expenses(
        expert.user, agreement.fee_record, "37.40", f"{MARK}-EXPENSES-EXPA: taxi to the clinic"
    )
    order.refresh_from_db()
    workflow.transition(order, "complete", actor=coord_a.user)
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(
        starts_at=now - timedelta(hours=5), debrief_at=now - timedelta(hours=2)
    )
    order.refresh_from_db()
    debrief = followup_services.record_debrief(
        expert.user,
        order,
        expert,
        now - timedelta(hours=1),
        "Coordinator of A",
        feelings=f"{MARK}-FEELINGS-EXPA: I was shaking afterwards",
        evaluation=f"{MARK}-EVALUATION-EXPA: the questions went too deep",
        wants_support=True,
    )
    followup_services.give_feedback(
        expert.user,
        order,
        expert,
        Feedback.EXPERT_ON_ORDERER,
        comment=f"{MARK}-FEEDBACK-EXPA on the orderer",
        expectations_clear=4,
        time_respected=5,
        treated_as_equal=3,
    )
    followup_services.give_feedback(
        orderer.user, order, expert, Feedback.ORDERER_ON_ASSIGNMENT, comment="Thank you!", overall=5
    )
    order.refresh_from_db()
    assert order.state == OrderState.DEBRIEFED, order.state
    world.markers += [
        Marker(f"{MARK}-FEELINGS-EXPA", EXPERT, A_READERS, SPECIAL),
        Marker(f"{MARK}-EVALUATION-EXPA", EXPERT, A_READERS, SPECIAL),
        Marker(f"{MARK}-FEEDBACK-EXPA", EXPERT, A_READERS, PRIVATE),
        # The fee record's expenses: the expert's and their coordinators', not the admin's.
        Marker(f"{MARK}-EXPENSES-EXPA", EXPERT, A_READERS, PRIVATE),
        # The support wish is a yes or no; the debrief page's sentence about it is the marker.
        Marker(SUPPORT_WISH, EXPERT, A_READERS, SPECIAL),
    ]

    # A network order (no organisation: every organisation's coordinators are in charge) of the
    # other orderer, with an open offer to the expert of A: no agreement, so no contact yet.
    network_order = OrderFactory(orderer=orderer_b, organisation=None, title="Network order")
    workflow.transition(network_order, "submit", actor=orderer_b.user)
    workflow.transition(network_order, "accept", actor=coord_b.user)
    open_offer = offer_to(network_order, expert, coord_a)

    # A network order in matching published as an open call, which the expert of A answered
    # with a note (read by the coordinators in charge: every organisation's, for a network
    # order); and what a coordinator of A recorded that the expert meets.
    call_order = OrderFactory(orderer=orderer_b, organisation=None, title="Call order")
    workflow.transition(call_order, "submit", actor=orderer_b.user)
    workflow.transition(call_order, "accept", actor=coord_b.user)
    open_call = opencall_services.publish(
        call_order, actor=coord_a.user, answer_by=timezone.now() + timedelta(days=3)
    )
    opencall_services.express_interest(open_call, expert, f"{MARK}-CALLNOTE-EXPA: after 10 only")
    world.markers.append(
        Marker(f"{MARK}-CALLNOTE-EXPA", EXPERT, frozenset({COORD_A, COORD_B}), SPECIAL)
    )
    # A series of two meetings (the orderer's, handled by A).
    series_order = OrderFactory(orderer=orderer, organisation=org_a, title="Series order")
    workflow.transition(series_order, "submit", actor=orderer.user)
    workflow.transition(series_order, "accept", actor=coord_a.user)
    series = series_services.set_up(
        series_order,
        actor=coord_a.user,
        meeting_times=[timezone.now() + timedelta(days=d) for d in (20, 50)],
        term_starts=timezone.now().date(),
        term_ends=(timezone.now() + timedelta(days=300)).date(),
        meeting_minutes=90,
        fee_per_meeting=Decimal("70.00"),
        fee_period="meeting",
        debrief_rule="end",
        leaving_terms="Tell the coordinator a month ahead.",
    )
    # Agreed with another expert of A, not one of the roles: the expert of A must stay free
    # to erase their account (no assignment ahead), and sees the series as any other expert.
    series_expert = ExpertFactory(organisation=org_a, kinds=[ExpertKind.TRAINED_EXPERT])
    series_offer = offer_to(series_order, series_expert, coord_a)
    offer_services.accept(series_expert.user, series_offer.pk, FeeType.WORK_COMPENSATION)
    # A fee record of the series' first meeting, waiting for approval by A's coordinators.
    series_offer.refresh_from_db()
    series_fee = SeriesFee.objects.create(
        series=series,
        agreement=series_offer.agreement,
        expert=series_expert,
        meeting=series.meetings.first(),
        period_start=series.meetings.first().starts_at.date(),
        fee_amount=Decimal("70.00"),
        fee_type=FeeType.WORK_COMPENSATION,
    )
    # A draft of the orderer's that may still become a series.
    plannable_order = OrderFactory(orderer=orderer, organisation=org_a, title="Plannable order")

    qualification = Qualification.objects.create(
        expert=expert, kind="hospital_hygiene", on=date(2026, 1, 5), recorded_by=coord_a.user
    )

    # Messages: the orderer's on the order's own thread (A's coordinators read it); the expert's
    # to the coordinators on the network order (every organisation's coordinators are in
    # charge; the other orderer has no agreement, so never); and the expert's on the order,
    # written before the agreement: the orderer, who joins that thread with the agreement,
    # sees only what comes after it.
    conversation_services.post(
        orderer.user, conversation_services.thread_of(order), f"{MARK}-MSG-ORDA: parking"
    )
    conversation_services.post(
        expert.user,
        conversation_services.thread_of(network_order, expert),
        f"{MARK}-MSG-NETWORK-EXPA: my medication makes me slow in the mornings",
    )
    before_agreement = conversation_services.post(
        expert.user,
        conversation_services.thread_of(order, expert),
        f"{MARK}-MSG-BEFORE-EXPA: I was in hospital last spring",
    )
    Message.objects.filter(pk=before_agreement.pk).update(
        created_at=agreement.created_at - timedelta(days=1)
    )
    world.markers += [
        Marker(f"{MARK}-MSG-ORDA", ORDERER, A_READERS, PRIVATE),
        Marker(f"{MARK}-MSG-NETWORK-EXPA", EXPERT, frozenset({COORD_A, COORD_B}), SPECIAL),
        Marker(f"{MARK}-MSG-BEFORE-EXPA", EXPERT, A_READERS, SPECIAL),
    ]

    # A draft of the orderer, for the edit page.
    draft_order = OrderFactory(orderer=orderer, organisation=org_a, title="Draft order")
    # A complete draft of the unverified orderer: it may be saved, not sent.
    unverified_draft = OrderFactory(orderer=orderer_u, organisation=org_a, title="Unverified draft")

    # A row of organisation A's public fee schedule, for its edit page.
    fee_row = FeeSchedule.objects.create(
        organisation=org_a,
        task_type=order.task_type,
        basis=FeeBasis.PER_EVENT,
        amount=Decimal("200.00"),
        valid_from=date(2020, 1, 1),
    )

    # Outgoing e-mails that could not be sent. The expert of A's offer of the network order:
    # B's coordinators are in charge of that order too, but the expert is A's. The other
    # orderer's acceptance e-mail about the network order: every organisation's. A login
    # code to the expert of B (sensitive: its content is never shown).
    failed = {"type": "SMTPRecipientsRefused", "code": 451, "message": "try later"}
    email_expert = OutboundEmail.objects.get(
        user=expert.user, template="offer_received", about_id=network_order.pk
    )
    email_network = OutboundEmail.objects.get(
        user=orderer_b.user, template="order_accepted", about_id=network_order.pk
    )
    # The orderer's acceptance e-mail about the representative order, sent.
    email_sent = OutboundEmail.objects.get(
        user=orderer.user, template="order_accepted", about_id=order.pk
    )
    OutboundEmail.objects.filter(pk=email_sent.pk).update(state=State.SENT, sent_at=now)
    expert_b_user = User.objects.get(pk=world.users[EXPERT_B])
    email_expert_b = outbox_services.enqueue(
        key="matrix:login-code",
        to_email=expert_b_user.email,
        user=expert_b_user,
        subject="Login code",
        body_text=f"{MARK}-LOGINCODE-EXPB 123456",
        template="account:login_code",
        sensitive=True,
    )
    world.markers.append(Marker(f"{MARK}-LOGINCODE-EXPB", EXPERT_B, frozenset(), SPECIAL))
    OutboundEmail.objects.filter(pk__in=[email_expert.pk, email_network.pk]).update(
        state=State.FAILED, attempts=2, last_error=failed
    )
    OutboundEmail.objects.filter(pk=email_expert_b.pk).update(
        state=State.DEAD, attempts=1, last_error={**failed, "code": 550, "permanent": True}
    )

    world.pks.update(
        email_expert=email_expert.pk,
        email_network=email_network.pk,
        email_expert_b=email_expert_b.pk,
        email_sent=email_sent.pk,
        order=order.pk,
        offer=offer.pk,
        agreement=agreement.pk,
        coord_a_notice=Notice.objects.filter(user=coord_a.user, kind="order_submitted")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
        # The expert's calendar feed: its secret address is its only key.
        expert_feed=calendar_feeds.turn_on(expert.user).token,
        fee_record=fee_record.pk,
        debrief=debrief.pk,
        network_order=network_order.pk,
        open_offer=open_offer.pk,
        call_order=call_order.pk,
        open_call=open_call.pk,
        series=series.pk,
        series_meeting=series.meetings.first().pk,
        series_fee=series_fee.pk,
        plannable_order=plannable_order.pk,
        qualification=qualification.pk,
        draft_order=draft_order.pk,
        fee_row=fee_row.pk,
        unverified_draft=unverified_draft.pk,
    )
    return world
