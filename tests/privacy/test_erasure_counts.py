"""Erasure, step by step: what each part removes, redacts or keeps, and the counts it reports
(kokemustori.privacy.erasure). The end-to-end proof, that no marker is left anywhere, is in
test_gdpr.py; these tests pin the edges that proof cannot see: other people's rows left
alone, offers that cannot be declined any more, and the exact counts in the audit log."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from kokemustori.agreements import services as agreement_services
from kokemustori.agreements.models import Agreement
from kokemustori.audit.models import Action, AuditEvent
from kokemustori.calendars.models import CalendarFeed
from kokemustori.experts.models import Expert, ExpertStatus
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orderers.models import Orderer
from kokemustori.orders.models import Order, OrderEvent, OrderState
from kokemustori.organisations.models import Coordinator
from kokemustori.outbox.models import OutboundEmail
from kokemustori.privacy import erasure
from tests.factories import (
    AreaFactory,
    CoordinatorFactory,
    ExpertFactory,
    ExpertKind,
    LanguageFactory,
    OrdererFactory,
    RegionFactory,
    TopicFactory,
    UserFactory,
    task_type,
)
from tests.factories.fees import accepted_agreement
from tests.factories.orders import offer_to, order_in_state
from tests.privacy.test_gdpr import DB_TASKS, ordering_path

pytestmark = pytest.mark.django_db

User = get_user_model()


def trained(coordinator, **user):
    return ExpertFactory(
        organisation=coordinator.organisation,
        kinds=[ExpertKind.TRAINED_EXPERT],
        **{f"user__{k}": v for k, v in user.items()},
    )


def test_only_the_experts_own_open_offers_are_declined_and_counted(sent_after_commit):
    coordinator = CoordinatorFactory()
    expert = trained(coordinator, first_name="Vilja", last_name="Qorhonen")
    colleague = trained(coordinator)
    with sent_after_commit():
        shared, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator, experts_needed=2)
        offer_services.send_offers(shared, [expert, colleague], actor=coordinator.user)
        alone, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
        offer_to(alone, expert, coordinator)
        # An offer still open in the table but past its answering time: declining it fails.
        late, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
        late_offer = offer_to(late, expert, coordinator)
    Offer.objects.filter(pk=late_offer.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    result = erasure.erase(expert.user, actor=expert.user)

    # Three were open for this expert; the one that had expired is counted, not answered.
    assert result.counts["offers_declined"] == 3
    assert Offer.objects.get(order=shared, expert=colleague).state == OfferState.OPEN
    alone.refresh_from_db()
    assert alone.state == OrderState.MATCHING
    # Nothing was kept, so the expert and the account are gone.
    assert (result.expert, result.account) == ("deleted", "deleted")
    assert not Expert.objects.filter(pk=expert.pk).exists()
    assert {name: n for name, n in result.counts.items() if n} == {
        "offers_declined": 3,
        "offers": 3,  # the three declined ones, none of which led to an agreement
        "kind_applications": 1,  # the factory's own
        "notices": 3,  # one per offer
        "emails": 3,  # one per offer
        # Every text of the three orders and their e-mails that named the expert.
        "texts_redacted": 10,
    }


def test_only_the_experts_own_cancellations_leave_the_timeline(sent_after_commit):
    coordinator = CoordinatorFactory()
    expert = trained(coordinator, first_name="Vilja", last_name="Qorhonen")
    colleague = trained(coordinator)
    with sent_after_commit():
        # Both agree to one assignment, then both cancel, each for their own reason.
        shared, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator, experts_needed=2)
        own, other = (
            offer_services.accept(person.user, offer.pk, FeeType.WAGE)
            for person, offer in zip(
                (expert, colleague),
                offer_services.send_offers(shared, [expert, colleague], actor=coordinator.user),
                strict=True,
            )
        )
        agreement_services.cancel(expert.user, own, "Vilja's own reason for cancelling")
        agreement_services.cancel(colleague.user, other, "Their own reason for cancelling")
        # A second assignment the expert cancels.
        second, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
        own_second = offer_services.accept(
            expert.user, offer_to(second, expert, coordinator).pk, FeeType.WAGE
        )
        agreement_services.cancel(expert.user, own_second, "A second reason of my own")
        # An assignment the orderer cancels: the orderer's reason is not the expert's.
        third, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
        by_orderer = offer_services.accept(
            expert.user, offer_to(third, expert, coordinator).pk, FeeType.WAGE
        )
        agreement_services.cancel(third.orderer.user, by_orderer, "The hall burned down")

    result = erasure.erase(expert.user, actor=expert.user)

    assert OrderEvent.objects.filter(order=shared, reason=f"*** (#{own.pk})").count() == 1
    assert OrderEvent.objects.filter(order=second, reason=f"*** (#{own_second.pk})").count() == 1
    kept = OrderEvent.objects.filter(
        order=shared, reason__endswith="Their own reason for cancelling"
    )
    assert kept.count() == 1
    assert not kept.filter(reason__startswith="***").exists()
    # The orderer's reason stays; only the expert's name in it is replaced.
    assert OrderEvent.objects.filter(
        order=third, reason=f"*** (#{by_orderer.pk}): The hall burned down"
    ).exists()
    assert Agreement.objects.get(pk=other.pk).cancellation_reason == (
        "Their own reason for cancelling"
    )
    # The cancelled agreements are kept (accounting), so the expert row stays.
    assert (result.expert, result.account) == ("anonymised", "anonymised")
    # What the audit log reports: two own reasons off the timeline; the three offers that led
    # to agreements kept without their texts; the e-mails and notices addressed to the expert;
    # and every text of the three orders and their e-mails that named the expert or quoted
    # their reasons (65 rows).
    assert {name: n for name, n in result.counts.items() if n} == {
        "timeline_reasons_removed": 2,
        "offers_kept": 3,
        "kind_applications": 1,
        "notices": 7,
        "emails": 7,
        "texts_redacted": 65,
    }


def test_an_orderer_loses_only_their_own_drafts_and_is_counted():
    orderer = OrdererFactory(
        user__first_name="Ilmari",
        user__last_name="Zunkkonen",
        refusal_reason="Not a public body",
        unit="Youth services",
    )
    draft, _ = order_in_state(OrderState.DRAFT, orderer=orderer, contact_name="Ilmari Zunkkonen")
    declined, _ = order_in_state(
        OrderState.DECLINED,
        orderer=orderer,
        contact_name="Ilmari Zunkkonen",
        planning_notes="Ask Ilmari Zunkkonen about the room.",
    )
    someone_elses, _ = order_in_state(OrderState.DRAFT)

    result = erasure.erase(orderer.user, actor=orderer.user)

    assert not Order.objects.filter(pk=draft.pk).exists()
    assert Order.objects.filter(pk=someone_elses.pk).exists()
    declined.refresh_from_db()
    assert declined.state == OrderState.DECLINED
    assert declined.contact_name == ""
    assert declined.planning_notes == "Ask *** about the room."
    assert result.counts["draft_orders"] == 1
    assert result.counts["orders_anonymised"] == 1
    # The declined order: its planning notes (contact_name was emptied before).
    assert result.counts["texts_redacted"] == 1
    orderer.refresh_from_db()
    assert (orderer.unit, orderer.refusal_reason, orderer.is_active) == ("", "", False)
    assert result.account == "anonymised"
    assert "draft_orders 1" in result.detail()
    assert "orders_anonymised 1" in result.detail()


def test_an_orderer_with_no_orders_left_is_deleted_with_the_account():
    orderer = OrdererFactory()
    order_in_state(OrderState.DRAFT, orderer=orderer)
    user_pk = orderer.user_id

    result = erasure.erase(orderer.user, actor=orderer.user)

    assert result.account == "deleted"
    assert not Orderer.objects.filter(pk=orderer.pk).exists()
    assert not User.objects.filter(pk=user_pk).exists()
    event = AuditEvent.objects.get(action=Action.ERASED)
    assert event.detail == f"user {user_pk}: account deleted; draft_orders 1"


def test_an_account_never_erased_is_not_taken_for_an_erased_one():
    assert not erasure.is_erased(User(email=""))
    assert not erasure.is_erased(User(email="someone@example.org"))
    assert erasure.is_erased(User(email="erased-0123456789abcdef@erased.invalid"))


def test_a_full_erasure_reports_what_it_removed_from_each_part(settings, sent_after_commit):
    """The ordering path of test_gdpr.py: one assignment done and debriefed with feedback
    both ways, one cancelled by the expert, one offer declined and one still open."""
    settings.TASKS = DB_TASKS
    world = ordering_path(sent_after_commit)
    user = world.expert.user
    # A calendar feed, and a coordinator post the person held once.
    CalendarFeed.objects.create(user=user)
    Coordinator.objects.create(
        user=user, organisation=world.coordinator.organisation, is_active=False
    )

    result = erasure.erase(user, actor=user)

    assert {name: n for name, n in result.counts.items() if n} == {
        "offers_declined": 1,  # the open one
        "timeline_reasons_removed": 1,  # the cancellation
        "debriefs": 1,
        "feedback": 2,  # by the orderer on the assignment, by the expert on the orderer
        "offers": 2,  # the declined one and the open one, now declined
        "offers_kept": 2,  # the two that led to agreements (one done, one cancelled)
        "kind_applications": 2,  # the refused one and the factory's own
        "trainings": 1,
        "email_addresses": 1,
        "authenticators": 1,
        "reminders": 1,
        "notices": 6,
        "calendar_feeds": 1,
        "former_posts": 1,
        "sessions": 1,  # the half-finished login by code
        "tasks": 1,  # the failed e-mail task
        "emails": 6,
        "admin_history": 1,
        "texts_redacted": 15,
    }
    # The audit detail: ids and counts in name order, cut at the field's 300 characters.
    everything = (
        f"user {user.pk}: account anonymised; expert {world.expert.pk} anonymised; "
        "admin_history 1; authenticators 1; calendar_feeds 1; debriefs 1; email_addresses 1; "
        "emails 6; feedback 2; former_posts 1; kind_applications 2; notices 6; "
        "offers 2; offers_declined 1; offers_kept 2; reminders 1; sessions 1; tasks 1; "
        "texts_redacted 15; timeline_reasons_removed 1; trainings 1"
    )
    detail = AuditEvent.objects.get(action=Action.ERASED).detail
    assert len(everything) > 300 and detail == everything[:300]


def test_a_kept_expert_row_is_emptied_of_every_choice_and_text():
    agreement, coordinator = accepted_agreement()
    Order.objects.filter(pk=agreement.order_id).update(
        state=OrderState.CLOSED, starts_at=timezone.now() - timedelta(days=30)
    )
    Offer.objects.filter(agreement=agreement).update(
        message="Dear Vilja, your story fits.", match_reasons="Speaks Swedish; lives in Vaasa"
    )
    expert = agreement.expert
    for name, value in {
        "first_name_public": True,
        "uses_pseudonym": True,
        "pseudonym": "Kettu",
        "phone": "+358 40 555 0101",
        "municipality": "Vaasa",
        "experience_story": "Story to be erased",
        "bio": "Bio to be erased",
        "works_remotely": True,
        "workload_limit": 3,
        "monthly_earnings_limit": Decimal("725.00"),
        "yearly_earnings_limit": Decimal("5000.00"),
        "personal_identity_code_encrypted": "gAAAA-sealed-code",
        "on_break": True,
        "break_started_at": timezone.now(),
        "show_areas": True,
        "show_topics": True,
        "show_story": True,
    }.items():
        setattr(expert, name, value)
    expert.save()
    expert.areas_own.add(AreaFactory())
    expert.areas_close.add(AreaFactory())
    expert.topics.add(TopicFactory())
    expert.topics_not_now.add(TopicFactory())
    expert.languages.add(LanguageFactory())
    expert.regions.add(RegionFactory())
    expert.task_types.add(task_type("lecture"))

    result = erasure.erase(expert.user, actor=expert.user)

    assert (result.expert, result.account) == ("anonymised", "anonymised")
    expert = Expert.objects.get(pk=expert.pk)
    assert expert.status == ExpertStatus.INACTIVE
    assert (expert.first_name_public, expert.uses_pseudonym, expert.works_remotely) == (
        False,
        False,
        False,
    )
    assert (expert.on_break, expert.break_started_at) == (False, None)
    assert (expert.show_areas, expert.show_topics, expert.show_story) == (False, False, False)
    assert (expert.pseudonym, expert.phone, expert.municipality) == ("", "", "")
    assert (expert.experience_story, expert.bio, expert.personal_identity_code_encrypted) == (
        "",
        "",
        "",
    )
    assert (
        expert.workload_limit,
        expert.monthly_earnings_limit,
        expert.yearly_earnings_limit,
    ) == (None, None, None)
    for name in (
        "areas_own",
        "areas_close",
        "topics",
        "topics_not_now",
        "languages",
        "regions",
        "task_types",
    ):
        assert not getattr(expert, name).exists(), name
    # The offer behind the agreement stays, without its texts.
    assert list(Offer.objects.filter(expert=expert).values_list("message", "match_reasons")) == [
        ("", "")
    ]
    assert result.counts["offers_kept"] == 1
    # The account that the agreement points to: locked, nameless, a placeholder address.
    user = User.objects.get(pk=expert.user_id)
    assert re.fullmatch(r"erased-[0-9a-f]{16}@erased\.invalid", user.email), user.email
    assert (user.first_name, user.last_name, user.is_active, user.last_login) == (
        "",
        "",
        False,
        None,
    )
    assert not user.has_usable_password()


# The small rules, one by one -------------------------------------------------------------------

STAFF_REASON = (
    "This account has administrator rights. Another administrator must remove them before the "
    "account can be erased."
)
POST_REASON = (
    "This account holds a coordinator post. An administrator must end the post before the "
    "account can be erased."
)
ALSO_ORDERS = (
    "This person also orders experts. They can erase their account themselves, or an "
    "administrator can help."
)
ORDERS_IN_PROGRESS = (
    "You have orders in progress. Cancel them, or ask the coordinator to close them once the "
    "assignment and its debrief are done."
)


@pytest.mark.parametrize(
    ("flags", "blocked"),
    [
        ({"is_staff": True}, True),
        ({"is_superuser": True}, True),
        ({}, False),
    ],
)
def test_administrator_rights_block_an_erasure_but_not_of_the_expert_part(flags, blocked):
    user = ExpertFactory(**{f"user__{k}": v for k, v in flags.items()}).user
    assert erasure.blockers(user) == ([STAFF_REASON] if blocked else [])
    assert erasure.blockers(user, expert_only=True) == []


def test_only_an_active_coordinator_post_blocks_an_erasure():
    post = CoordinatorFactory()
    assert erasure.blockers(post.user) == [POST_REASON]
    assert erasure.blockers(post.user, expert_only=True) == []
    Coordinator.objects.filter(pk=post.pk).update(is_active=False)
    assert erasure.blockers(post.user) == []


@pytest.mark.parametrize(
    ("state", "blocked"),
    [
        (OrderState.DRAFT, False),
        (OrderState.SUBMITTED, True),
        (OrderState.NEEDS_CHANGES, True),
        (OrderState.MATCHING, True),
        (OrderState.OFFERED, True),
        (OrderState.AGREED, True),
        (OrderState.DONE, True),
        (OrderState.DEBRIEFED, True),
        (OrderState.CLOSED, False),
        (OrderState.DECLINED, False),
        (OrderState.CANCELLED, False),
    ],
)
def test_an_orderers_orders_in_progress_block_their_own_erasure(state, blocked):
    orderer = OrdererFactory()
    order, _ = order_in_state(OrderState.DRAFT, orderer=orderer)
    Order.objects.filter(pk=order.pk).update(state=state)
    assert erasure.blockers(orderer.user) == ([ORDERS_IN_PROGRESS] if blocked else [])
    # A coordinator may not erase an orderer at all; the expert part leaves the orderer alone.
    assert erasure.blockers(orderer.user, by_coordinator=True) == [ALSO_ORDERS]
    assert erasure.blockers(orderer.user, expert_only=True) == []


@pytest.mark.parametrize(
    ("state", "blocked"),
    [
        (OrderState.MATCHING, True),
        (OrderState.OFFERED, True),
        (OrderState.AGREED, True),
        (OrderState.DONE, False),
        (OrderState.DEBRIEFED, False),
        (OrderState.CLOSED, False),
        (OrderState.CANCELLED, False),
    ],
)
def test_an_agreed_assignment_ahead_blocks_the_experts_erasure(state, blocked):
    agreement, _ = accepted_agreement(title="Lecture on recovery")
    Order.objects.filter(pk=agreement.order_id).update(state=state)
    ahead = (
        "An assignment has been agreed but has not yet taken place: “Lecture on recovery”. "
        "The agreement must be cancelled first, or the assignment done."
    )
    user = agreement.expert.user
    assert erasure.blockers(user) == ([ahead] if blocked else [])
    assert erasure.blockers(user, expert_only=True) == ([ahead] if blocked else [])
    # A cancelled agreement blocks nothing.
    Agreement.objects.filter(pk=agreement.pk).update(state="cancelled")
    assert erasure.blockers(user) == []


def test_the_strings_to_redact_are_the_names_address_and_phones_of_the_person():
    orderer = OrdererFactory(
        user__email="vilja.q@example.org",
        user__first_name="Vilja",
        user__last_name="Qorhonen",
        phone="040 123 4567",
    )
    user = orderer.user
    assert erasure.identifying_strings(user) == {
        "vilja.q@example.org",
        "Vilja",
        "Qorhonen",
        "Vilja Qorhonen",
    }
    assert erasure.identifying_strings(user, orderer=orderer) == {
        "vilja.q@example.org",
        "Vilja",
        "Qorhonen",
        "Vilja Qorhonen",
        "040 123 4567",
    }
    agreement, _ = accepted_agreement(
        expert=ExpertFactory(
            user=user,
            kinds=[ExpertKind.TRAINED_EXPERT],
            pseudonym=" Kettu ",
            phone="",
        )
    )
    Agreement.objects.filter(pk=agreement.pk).update(
        expert_legal_name="Vilja Maria Qorhonen", expert_public_name="Kettu K."
    )
    # Strings shorter than two characters (an initial) are left out; spaces are stripped.
    user.first_name = "V"
    assert erasure.identifying_strings(user, agreement.expert) == {
        "vilja.q@example.org",
        "Qorhonen",
        "V Qorhonen",
        "Kettu",
        "Vilja Maria Qorhonen",
        "Kettu K.",
    }


def test_the_redaction_pattern_matches_whole_words_in_any_case_longest_first():
    assert erasure.redaction_pattern(set()) is None
    pattern = erasure.redaction_pattern({"Vilja", "Vilja Qorhonen", "a.b+c@example.org"})
    assert pattern.sub("***", "VILJA QORHONEN met vilja; Viljami stays.") == (
        "*** met ***; Viljami stays."
    )
    # Special characters are taken literally.
    assert pattern.sub("***", "mail a.b+c@example.org, not aXb+c@example.org") == (
        "mail ***, not aXb+c@example.org"
    )


@pytest.mark.parametrize(
    ("data", "belongs"),
    [
        ({"_auth_user_id": "7"}, True),
        ({"_auth_user_id": 7}, True),
        ({"_auth_user_id": "17"}, False),
        ({"account_login": {"user_pk": "7"}}, True),
        ({"account_login": {"user_pk": 7}}, True),
        ({"account_login": {"user_pk": None}}, False),
        ({"account_login": "7"}, False),
        ({"next": "/fi/", "note": "written to vilja@example.org"}, True),
        ({"next": "/fi/", "note": "written to VILJA@EXAMPLE.ORG"}, True),
        ({"next": "/fi/", "note": "written to viljami@example.org"}, False),
        ({}, False),
    ],
)
def test_a_session_belongs_to_the_person_by_id_login_or_address(data, belongs):
    assert erasure._session_belongs(data, "7", "vilja@example.org") is belongs


def test_a_session_without_an_address_to_look_for_is_not_taken():
    assert erasure._session_belongs({"note": ""}, "7", "") is False


def test_a_session_holding_dates_and_amounts_is_searched_as_text():
    data = {"since": timezone.now(), "sum": Decimal("12.50"), "to": "vilja@example.org"}
    assert erasure._session_belongs(data, "7", "vilja@example.org") is True
    assert erasure._session_belongs(data, "7", "other@example.org") is False


def test_a_person_who_is_expert_and_orderer_has_both_parts_redacted_and_counted(
    sent_after_commit,
):
    coordinator = CoordinatorFactory()
    expert = trained(coordinator, first_name="Vilja", last_name="Qorhonen")
    orderer = OrdererFactory(user=expert.user)
    with sent_after_commit():
        offered, _ = order_in_state(
            OrderState.MATCHING,
            coordinator=coordinator,
            planning_notes="Vilja Qorhonen opens the day.",
        )
        offer_services.decline(expert.user, offer_to(offered, expert, coordinator).pk)
    own, _ = order_in_state(
        OrderState.DECLINED, orderer=orderer, planning_notes="Vilja Qorhonen will host."
    )

    result = erasure.erase(expert.user, actor=expert.user)

    offered.refresh_from_db()
    own.refresh_from_db()
    assert offered.planning_notes == "*** opens the day."
    assert own.planning_notes == "*** will host."
    # Both parts are in the count: the rows of the offered order and its e-mails that named
    # the person, then those of the orderer's own order.
    assert result.counts["texts_redacted"] == 6


def test_the_result_detail_holds_ids_and_nonzero_counts_in_name_order():
    result = erasure.ErasureResult(user_id=12, account="deleted")
    assert result.detail() == "user 12: account deleted"
    result.expert_id, result.expert = 34, "deleted"
    result.counts.update({"trainings": 2, "debriefs": 0, "admin_history": 1})
    assert (
        result.detail()
        == "user 12: account deleted; expert 34 deleted; admin_history 1; trainings 2"
    )
    assert result.detail("retention: ") == (
        "retention: user 12: account deleted; expert 34 deleted; admin_history 1; trainings 2"
    )


def outbox_email(to_email, user=None, key=None):
    return OutboundEmail.objects.create(
        key=key or f"test:{to_email}:{user.pk if user else '-'}",
        to_email=to_email,
        user=user,
        language="en",
        template="order_accepted",
        subject="Your order",
    )


def test_the_outbox_loses_every_email_to_the_person_by_account_or_address():
    person = UserFactory(email="vilja@example.org")
    other = UserFactory(email="other@example.org")
    outbox_email("old.address@example.org", user=person)  # sent before an address change
    outbox_email("VILJA@example.org")  # to the address, not linked to the account
    kept = [
        outbox_email("other@example.org", user=other),
        outbox_email("someone@example.org"),
    ]

    assert erasure.delete_outbox_emails(person) == 2
    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == {e.pk for e in kept}


def test_an_anonymised_account_keeps_no_rights():
    user = UserFactory(is_staff=True, is_superuser=True, first_name="Vilja", last_name="Q")
    erasure.anonymise_user(user)
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, False)
    assert (user.first_name, user.last_name) == ("", "")


@pytest.mark.parametrize("record", ["debrief", "feedback"])
def test_an_order_the_expert_had_no_part_in_keeps_a_namesakes_name(record):
    """The orders whose texts are redacted are the expert's own. A debrief or feedback row
    whose number happens to be another order's number does not add that order."""
    agreement, _ = accepted_agreement(expert=None)
    Order.objects.filter(pk=agreement.order_id).update(
        state=OrderState.CLOSED, starts_at=timezone.now() - timedelta(days=30)
    )
    expert = agreement.expert
    User.objects.filter(pk=expert.user_id).update(first_name="Vilja", last_name="Qorhonen")
    expert.user.refresh_from_db()
    unrelated, _ = order_in_state(
        OrderState.DECLINED, planning_notes="Our own Vilja Qorhonen will host."
    )
    if record == "debrief":
        Debrief.objects.create(
            pk=unrelated.pk,
            order_id=agreement.order_id,
            expert=expert,
            held_at=timezone.now(),
            held_by="Coordinator",
        )
    else:
        Feedback.objects.create(
            pk=unrelated.pk,
            order_id=agreement.order_id,
            expert=expert,
            direction=Feedback.ORDERER_ON_ASSIGNMENT,
            overall=4,
        )

    erasure.erase(expert.user, actor=expert.user)

    unrelated.refresh_from_db()
    assert unrelated.planning_notes == "Our own Vilja Qorhonen will host."


def test_a_cancellation_written_as_orderer_stays_on_the_other_experts_timeline(
    sent_after_commit,
):
    """The person is an expert and also orders; as the orderer they cancelled another
    expert's agreement. That step is about the other expert and stays (it is not the
    erased expert's own cancellation)."""
    coordinator = CoordinatorFactory()
    person = trained(coordinator)
    orderer = OrdererFactory(user=person.user)
    other = trained(coordinator)
    with sent_after_commit():
        order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator, orderer=orderer)
        agreement = offer_services.accept(
            other.user, offer_to(order, other, coordinator).pk, FeeType.WAGE
        )
        agreement_services.cancel(person.user, agreement, "The hall burned down")
    label = f"{agreement.expert_public_name} (#{agreement.pk}): The hall burned down"
    assert OrderEvent.objects.filter(order=order, reason=label).count() == 1

    result = erasure.erase(person.user, actor=person.user)

    assert OrderEvent.objects.filter(order=order, reason=label).count() == 1
    assert result.counts["timeline_reasons_removed"] == 0


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def test_the_persons_sessions_kept_in_the_database_are_deleted(settings, engine):
    settings.SESSION_ENGINE = engine
    person, other = UserFactory(email="vilja@example.org"), UserFactory()
    for user in (person, other):
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)  # a login, with no address in it
        session.create()

    assert erasure.delete_sessions(person) == 1
    left = [s.get_decoded()["_auth_user_id"] for s in Session.objects.all()]
    assert left == [str(other.pk)]


def test_sessions_kept_outside_the_database_cannot_be_searched(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    person = UserFactory()
    session = SessionStore()
    session["_auth_user_id"] = str(person.pk)
    session.create()
    assert erasure.delete_sessions(person) == 0
    assert Session.objects.count() == 1
