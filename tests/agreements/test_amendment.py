"""Changing an agreement's terms: a coordinator of the expert's organisation changes them with a
reason; once either party has accepted, the change is a new version both accept again, and the
version accepted before stays binding (and downloadable) until then."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from kokemustori.agreements import services
from kokemustori.agreements.ics import calendar_for
from kokemustori.agreements.models import AgreementState
from kokemustori.audit.models import Action, AuditEvent
from kokemustori.fees.models import FeeRecord, FeeStatus
from kokemustori.offers.models import FeeType
from kokemustori.orders import workflow
from kokemustori.orders.models import OrderEvent, OrderState
from kokemustori.outbox.models import OutboundEmail
from tests.agreements.test_agreements import STARTS, make_agreement
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory

pytestmark = pytest.mark.django_db

MOVED = STARTS + timedelta(days=2)
REASON = "The lecture moved to Wednesday at the request of the school."


def accepted_by_both():
    agreement, order, coordinator, expert = make_agreement()
    services.accept_as_orderer(order.orderer.user, agreement)
    services.accept_as_expert(expert.user, agreement)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACCEPTED
    return agreement, order, coordinator, expert


def moved(agreement, **more):
    """The changes that move the assignment (and what hangs on it) by two days."""
    return {
        "starts_at": MOVED,
        "ends_at": MOVED + timedelta(hours=2),
        "debrief_at": MOVED + timedelta(hours=3),
        **more,
    }


def _url(name, agreement, language="en"):
    with translation.override(language):
        return reverse(f"agreements:{name}", args=[agreement.pk])


# The rule -------------------------------------------------------------------------------------


def test_before_anyone_accepted_the_terms_change_in_place():
    agreement, order, coordinator, expert = make_agreement()
    changed = services.amend(coordinator.user, agreement, moved(agreement), REASON)
    assert changed.version == 1
    assert changed.state == AgreementState.PENDING
    assert changed.starts_at == MOVED
    assert changed.amendment_reason == REASON
    assert changed.amended_by == coordinator.user
    assert changed.amended_at is not None
    note = OrderEvent.objects.get(order=order, action=services.AMENDED)
    assert note.actor == coordinator.user and REASON in note.reason
    assert AuditEvent.objects.filter(action=Action.AGREEMENT_AMENDED, expert=expert).count() == 1


def test_after_both_accepted_a_change_is_a_new_version_both_accept_again():
    agreement, order, coordinator, expert = accepted_by_both()
    (first_copy,) = agreement.kept_copies.filter(language="fi")
    record = FeeRecord.objects.get(agreement=agreement)
    old_fee = record.fee_amount

    changed = services.amend(
        coordinator.user, agreement, moved(agreement, fee_amount=Decimal("321.50")), REASON
    )
    assert changed.version == 2
    assert changed.state == AgreementState.PENDING
    assert changed.orderer_accepted_at is None and changed.orderer_accepted_by is None
    assert changed.expert_accepted_at is None
    # A typed figure is no longer the schedule's rate times hours.
    assert changed.fee_basis == "" and changed.fee_rate is None and changed.fee_hours is None
    # Version 1 binds until version 2 is accepted: its file and fee record stay as they were.
    assert services.binding_version(changed) == 1
    first_copy.refresh_from_db()
    assert hashlib.sha256(bytes(first_copy.content)).hexdigest() == first_copy.sha256
    record.refresh_from_db()
    assert record.fee_amount == old_fee
    assert services.pending_party(order.orderer.user, changed) == services.ORDERER_SIDE
    assert services.pending_party(expert.user, changed) == services.EXPERT_SIDE

    services.accept_as_expert(expert.user, changed)
    services.accept_as_orderer(order.orderer.user, changed)
    changed.refresh_from_db()
    assert changed.state == AgreementState.ACCEPTED
    assert services.binding_version(changed) == 2
    assert set(changed.kept_copies.values_list("version", flat=True)) == {1, 2}
    second_copy = changed.kept_copies.get(version=2, language="fi")
    assert second_copy.sha256 != first_copy.sha256
    record.refresh_from_db()
    assert record.fee_amount == Decimal("321.50")
    assert record.assignment_date == MOVED.date()


def test_an_approved_fee_record_is_not_changed_by_a_later_version():
    agreement, order, coordinator, expert = accepted_by_both()
    FeeRecord.objects.filter(agreement=agreement).update(status=FeeStatus.APPROVED)
    old_fee = FeeRecord.objects.get(agreement=agreement).fee_amount
    changed = services.amend(coordinator.user, agreement, {"fee_amount": Decimal("9.00")}, REASON)
    services.accept_as_expert(expert.user, changed)
    services.accept_as_orderer(order.orderer.user, changed)
    assert FeeRecord.objects.get(agreement=agreement).fee_amount == old_fee


def test_one_acceptance_is_enough_to_make_a_new_version():
    agreement, order, coordinator, expert = make_agreement()
    services.accept_as_expert(expert.user, agreement)
    changed = services.amend(coordinator.user, agreement, {"place": "Room B 204"}, REASON)
    assert changed.version == 2 and changed.expert_accepted_at is None
    # Never binding: nothing was kept, and no version binds while the new one waits.
    assert not changed.kept_copies.exists()
    assert services.binding_version(changed) is None


def test_only_the_experts_own_coordinators_change_the_terms():
    agreement, order, coordinator, expert = make_agreement()
    others = [
        order.orderer.user,
        expert.user,
        CoordinatorFactory().user,
        ExpertFactory(organisation=coordinator.organisation).user,
        OrdererFactory().user,
    ]
    for user in others:
        assert not services.can_amend(user, agreement)
        with pytest.raises(PermissionDenied):
            services.amend(user, agreement, {"place": "Elsewhere"}, REASON)
    agreement.refresh_from_db()
    assert agreement.place == "Lecture hall A, Vaasa" and agreement.amended_at is None


def test_a_change_needs_a_reason_and_a_change():
    agreement, _, coordinator, _ = make_agreement()
    with pytest.raises(ValidationError) as error:
        services.amend(coordinator.user, agreement, {"place": "Room B"}, "  ")
    assert list(error.value.message_dict) == ["reason"]
    with pytest.raises(ValidationError) as error:
        services.amend(coordinator.user, agreement, {"place": "Room B"}, "x" * 2001)
    assert list(error.value.message_dict) == ["reason"]
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.amend(coordinator.user, agreement, {"place": agreement.place}, REASON)
    # Fields outside the amendable ones are ignored, so this changes nothing either.
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.amend(coordinator.user, agreement, {"expert_legal_name": "Someone"}, REASON)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": STARTS - timedelta(minutes=1)}, "ends_at"),
        ({"ends_at": STARTS}, "ends_at"),
        ({"planning_meeting_at": STARTS}, "planning_meeting_at"),
        ({"debrief_at": STARTS - timedelta(minutes=1)}, "debrief_at"),
        ({"fee_amount": Decimal("-1")}, "fee_amount"),
        ({"tasks": "   "}, "tasks"),
    ],
)
def test_terms_that_do_not_hold_together_are_refused_by_field(changes, field):
    agreement, _, coordinator, _ = make_agreement()
    with pytest.raises(ValidationError) as error:
        services.amend(coordinator.user, agreement, changes, REASON)
    assert list(error.value.message_dict) == [field]
    agreement.refresh_from_db()
    assert agreement.amended_at is None


def test_times_at_the_edges_are_accepted():
    agreement, _, coordinator, _ = make_agreement()
    changed = services.amend(
        coordinator.user,
        agreement,
        {
            "ends_at": STARTS + timedelta(minutes=1),
            "planning_meeting_at": STARTS - timedelta(minutes=1),
            "debrief_at": STARTS,
            "fee_amount": Decimal("0"),
        },
        REASON,
    )
    assert changed.debrief_at == STARTS and changed.fee_amount == Decimal("0")


def test_a_declined_fee_cannot_be_changed_into_one():
    agreement, _, coordinator, _ = make_agreement(fee_type=FeeType.DECLINED)
    with pytest.raises(ValidationError) as error:
        services.amend(coordinator.user, agreement, {"fee_amount": Decimal("100")}, REASON)
    assert list(error.value.message_dict) == ["fee_amount"]


def test_no_change_once_cancelled_or_done():
    agreement, _, coordinator, expert = make_agreement()
    services.cancel(expert.user, agreement, "I cannot come.")
    agreement.refresh_from_db()
    assert not services.can_amend(coordinator.user, agreement)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.amend(coordinator.user, agreement, {"place": "Room B"}, REASON)

    agreement, order, coordinator, _ = accepted_by_both()
    workflow.transition(order, "complete", actor=coordinator.user)
    agreement.refresh_from_db()
    assert agreement.order.state == OrderState.DONE
    assert not services.can_amend(coordinator.user, agreement)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.amend(coordinator.user, agreement, {"place": "Room B"}, REASON)


def test_accepting_a_version_one_did_not_read_is_refused():
    agreement, order, coordinator, expert = make_agreement()
    services.accept_as_expert(expert.user, agreement)
    services.amend(coordinator.user, agreement, {"place": "Room B 204"}, REASON)
    with pytest.raises(ValidationError, match="changed while you were reading"):
        services.accept(order.orderer.user, agreement, version=1)
    agreement.refresh_from_db()
    assert agreement.orderer_accepted_at is None
    services.accept(order.orderer.user, agreement, version=2)
    agreement.refresh_from_db()
    assert agreement.orderer_accepted_at is not None


def test_late_cancellation_while_a_new_version_waits_still_owes_the_fee():
    # Version 1 was binding; the orderer cancels late while version 2 waits.
    agreement, order, coordinator, _ = accepted_by_both()
    changed = services.amend(coordinator.user, agreement, {"place": "Room B 204"}, REASON)
    services.cancel(order.orderer.user, changed, "Called off.")
    changed.refresh_from_db()
    at = changed.starts_at - timedelta(days=1)
    assert services.is_late_cancellation(changed, at=at)
    changed.cancelled_at = at
    assert services.fee_due_after_cancellation(changed)


def test_a_never_binding_agreement_owes_no_fee_when_cancelled_late():
    agreement, order, coordinator, expert = make_agreement()
    services.accept_as_expert(expert.user, agreement)
    services.cancel(order.orderer.user, agreement, "Called off.")
    agreement.refresh_from_db()
    agreement.cancelled_at = agreement.starts_at - timedelta(days=1)
    assert not services.fee_due_after_cancellation(agreement)


def test_the_calendar_entries_of_a_new_version_replace_the_earlier_ones():
    agreement, _, coordinator, _ = accepted_by_both()

    def sequences(item):
        calendar = Calendar.from_ical(calendar_for(item, "fi"))
        return {str(e["uid"]): int(e["sequence"]) for e in calendar.walk("VEVENT")}

    before = sequences(agreement)
    changed = services.amend(coordinator.user, agreement, moved(agreement), REASON)
    after = sequences(changed)
    assert set(after) == set(before)
    assert all(after[uid] > before[uid] for uid in before)


# Who is told ----------------------------------------------------------------------------------


def test_both_parties_are_told_each_time_and_the_coordinator_is_not():
    agreement, order, coordinator, expert = accepted_by_both()
    services.amend(coordinator.user, agreement, {"place": "Room B 204"}, REASON)
    agreement.refresh_from_db()
    services.amend(coordinator.user, agreement, {"place": "Room C 301"}, "Room B was taken.")
    for user in (order.orderer.user, expert.user):
        emails = OutboundEmail.objects.filter(user=user, template="agreement_changed")
        assert emails.count() == 2
        bodies = " ".join(emails.values_list("body_text", flat=True))
        assert "Room B was taken." in bodies and REASON in bodies
    assert not OutboundEmail.objects.filter(
        user=coordinator.user, template="agreement_changed"
    ).exists()


# The pages ------------------------------------------------------------------------------------


def test_the_coordinator_changes_the_terms_through_the_page(client):
    agreement, order, coordinator, expert = accepted_by_both()
    client.force_login(coordinator.user)
    page = client.get(_url("detail", agreement)).content.decode()
    assert _url("amend", agreement) in page
    form = client.get(_url("amend", agreement)).content.decode()
    assert "Version 1 has already been accepted" in form
    response = client.post(
        _url("amend", agreement),
        {
            "tasks": agreement.tasks,
            "starts_at": "2030-03-17T10:00",
            "ends_at": "2030-03-17T12:00",
            "place": "Room B 204",
            "debrief_at": "2030-03-17T13:00",
            "fee_amount": "250.00",
            "reason": REASON,
        },
        follow=True,
    )
    text = response.content.decode()
    assert "version 2 now waits for both parties" in text
    agreement.refresh_from_db()
    assert agreement.version == 2 and agreement.place == "Room B 204"
    # The parties see what changed and why, and that version 1 binds until they accept.
    client.force_login(order.orderer.user)
    page = client.get(_url("detail", agreement)).content.decode()
    assert REASON in page
    assert "version 1, which both accepted, stays in force" in page
    assert 'name="version" value="2"' in page
    assert _url("amend", agreement) not in page
    with translation.override("en"):
        kept = reverse("agreements:kept_copy", args=[agreement.pk, 1, "fi"])
    assert client.get(kept).status_code == 200


def test_the_form_keeps_what_was_typed_and_names_the_field(client):
    agreement, _, coordinator, _ = make_agreement()
    client.force_login(coordinator.user)
    response = client.post(
        _url("amend", agreement),
        {
            "tasks": "Lecture, then questions",
            "starts_at": "2030-03-15T10:00",
            "ends_at": "2030-03-15T09:00",
            "place": "Typed place",
            "fee_amount": "100",
            "reason": "Typed reason",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "The end must be after the start." in text
    assert "Typed place" in text and "Typed reason" in text
    agreement.refresh_from_db()
    assert agreement.amended_at is None


def test_the_form_refuses_a_missing_reason_and_bad_numbers(client):
    agreement, _, coordinator, _ = make_agreement()
    client.force_login(coordinator.user)
    response = client.post(
        _url("amend", agreement),
        {"tasks": "x", "starts_at": "not a time", "fee_amount": "-5", "reason": ""},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Write what changed and why" in text
    assert "Enter a valid date/time." in text


@pytest.mark.parametrize("who", ["orderer", "expert"])
def test_the_parties_may_not_open_the_form(client, who):
    agreement, order, _, expert = make_agreement()
    user = order.orderer.user if who == "orderer" else expert.user
    client.force_login(user)
    assert client.get(_url("amend", agreement)).status_code == 403
    assert client.post(_url("amend", agreement), {"reason": "x"}).status_code == 403


def test_strangers_get_not_found(client):
    agreement, *_ = make_agreement()
    client.force_login(CoordinatorFactory().user)
    assert client.get(_url("amend", agreement)).status_code == 404


def test_a_cancelled_agreement_sends_the_coordinator_back_with_a_message(client):
    agreement, _, coordinator, expert = make_agreement()
    services.cancel(expert.user, agreement, "I cannot come.")
    client.force_login(coordinator.user)
    response = client.get(_url("amend", agreement), follow=True)
    assert "can no longer be changed" in response.content.decode()


# After the assignment -------------------------------------------------------------------------


def test_the_debrief_and_feedback_are_reached_from_the_agreement_once_done(client):
    agreement, order, coordinator, expert = accepted_by_both()
    debrief = reverse("followup:debrief", args=[order.pk, expert.pk])
    feedback = reverse("followup:feedback", args=[order.pk, expert.pk])
    client.force_login(expert.user)
    page = client.get(_url("detail", agreement)).content.decode()
    assert debrief not in page  # not before the assignment
    workflow.transition(order, "complete", actor=coordinator.user)
    page = client.get(_url("detail", agreement)).content.decode()
    assert f'href="{debrief}"' in page and f'href="{feedback}"' in page
    assert "Record the debrief" in page
    client.force_login(order.orderer.user)
    page = client.get(_url("detail", agreement)).content.decode()
    assert "Record that the debrief was held" in page and f'href="{feedback}"' in page
    client.force_login(coordinator.user)
    page = client.get(_url("detail", agreement)).content.decode()
    assert f'href="{debrief}"' in page and f'href="{feedback}"' not in page


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_calendar_entry_has_no_english_line_in_finnish_or_swedish(language):
    agreement, *_ = accepted_by_both()

    def texts(lang):
        calendar = Calendar.from_ical(calendar_for(agreement, lang, url="https://x.example/a"))
        lines = []
        for event in calendar.walk("VEVENT"):
            lines.append(str(event["summary"]))
            lines += str(event["description"]).splitlines()
        return lines

    english = set(texts("en"))
    own = texts(language)
    # Lines that are the same in every language: names, contacts, addresses, numbers.
    shared = {
        line
        for line in own
        if line in english and line in set(texts("fi" if language == "sv" else "sv"))
    }
    assert [line for line in own if line in english and line not in shared] == []
    assert len(set(own) - shared) >= 5  # the translated lines are really there


def test_each_party_reaches_the_assignments_messages_from_the_agreement(client):
    agreement, order, coordinator, expert = make_agreement()
    thread = reverse("conversations:expert_thread", args=[order.pk, expert.pk])
    for user in (expert.user, order.orderer.user, coordinator.user):
        client.force_login(user)
        page = client.get(_url("detail", agreement)).content.decode()
        assert f'href="{thread}"' in page
        assert client.get(thread).status_code == 200
