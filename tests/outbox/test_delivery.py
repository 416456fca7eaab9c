"""One delivery attempt (outbox/delivery.py), step by step, with every figure written out:
which rows are due, the claim and its lease, the message as sent, the waits between attempts,
what is recorded after a success or a failure, and when the outbox gives up."""

import logging
import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from kokemustori.outbox import delivery
from kokemustori.outbox.delivery import Outcome
from kokemustori.outbox.models import OutboundEmail, State

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _at_noon():
    """The outcome is recorded at the clock's time: the same moment as NOW here."""
    with time_machine.travel(NOW, tick=False):
        yield


def row(**fields):
    values = {
        "key": f"k:{OutboundEmail.objects.count()}",
        "to_email": "reader@example.org",
        "subject": "Hello",
        "body_text": "Hi",
        "created_at": NOW - timedelta(minutes=5),
        "next_attempt_at": NOW - timedelta(minutes=1),
    }
    return OutboundEmail.objects.create(**(values | fields))


def fresh(email):
    email.refresh_from_db()
    return email


class Refusing:
    """A mail connection whose server answers with `exc`."""

    def __init__(self, exc):
        self.exc = exc

    def send_messages(self, messages):
        raise self.exc


# ---- which rows are due ----------------------------------------------------------------


def test_due_rows_are_waiting_ones_whose_time_has_come_and_claims_whose_lease_ran_out():
    waiting = row(state=State.QUEUED, next_attempt_at=NOW)
    failed = row(state=State.FAILED, next_attempt_at=NOW - timedelta(hours=1))
    row(state=State.QUEUED, next_attempt_at=NOW + timedelta(seconds=1))  # not yet
    stopped = row(state=State.SENDING, lease_until=NOW - timedelta(seconds=1))
    row(state=State.SENDING, lease_until=NOW)  # its sender may still finish
    row(state=State.SENT, next_attempt_at=NOW - timedelta(hours=1))
    row(state=State.DEAD, next_attempt_at=NOW - timedelta(hours=1))
    due = set(OutboundEmail.objects.filter(delivery.due(NOW)).values_list("pk", flat=True))
    assert due == {waiting.pk, failed.pk, stopped.pk}


# ---- the claim -------------------------------------------------------------------------


def test_a_claim_takes_the_row_for_ten_minutes_and_counts_the_attempt():
    email = row(attempts=2)
    claimed = delivery.claim(email.pk, now=NOW)
    assert claimed.pk == email.pk
    assert (claimed.state, claimed.attempts) == (State.SENDING, 3)
    assert claimed.lease_until == NOW + timedelta(seconds=600)
    # Taken: nobody else gets it until the lease runs out.
    assert delivery.claim(email.pk, now=NOW + timedelta(seconds=599)) is None
    assert delivery.claim(email.pk, now=NOW + timedelta(seconds=601)).attempts == 4


def test_the_lease_and_the_time_to_give_up_are_settings(settings):
    settings.OUTBOX_LEASE_SECONDS = 30
    settings.OUTBOX_GIVE_UP_HOURS = 2
    assert delivery.lease_time() == timedelta(seconds=30)
    assert delivery.give_up_after() == timedelta(hours=2)
    claimed = delivery.claim(row().pk, now=NOW)
    assert claimed.lease_until == NOW + timedelta(seconds=30)


def test_the_defaults_are_ten_minutes_and_two_days(settings):
    del settings.OUTBOX_LEASE_SECONDS
    del settings.OUTBOX_GIVE_UP_HOURS
    assert delivery.lease_time() == timedelta(minutes=10)
    assert delivery.give_up_after() == timedelta(days=2)


def test_a_row_not_due_is_not_claimed_and_not_counted():
    email = row(next_attempt_at=NOW + timedelta(minutes=1))
    assert delivery.claim(email.pk, now=NOW) is None
    assert delivery.deliver_now(email.pk, now=NOW) == Outcome(None)
    assert (fresh(email).state, email.attempts) == (State.QUEUED, 0)


# ---- the message -----------------------------------------------------------------------


def test_the_message_is_the_rows_with_headers_that_stop_auto_replies(settings):
    settings.DEFAULT_FROM_EMAIL = "Kokemustori <noreply@example.org>"
    email = row(
        subject="Tarjous",
        body_text="Teksti",
        body_html="<p>Teksti</p>",
        attachments=[
            {"filename": "sopimus.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"},
            # A type the file's name would not give: it is the row's, not a guess.
            {"filename": "liite", "content": "x", "mimetype": "application/pdf"},
        ],
    )
    message = delivery.build_message(email, connection="the connection")
    assert message.subject == "Tarjous"
    assert message.body == "Teksti"
    assert message.from_email == "Kokemustori <noreply@example.org>"
    assert message.to == ["reader@example.org"]
    assert message.connection == "the connection"
    assert message.extra_headers == {
        "Message-ID": email.message_id,
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    assert message.alternatives == [("<p>Teksti</p>", "text/html")]
    assert [tuple(a) for a in message.attachments] == [
        ("sopimus.ics", "BEGIN:VCALENDAR", "text/calendar"),
        ("liite", "x", "application/pdf"),
    ]


def test_a_plain_message_has_no_alternative_and_no_attachment():
    message = delivery.build_message(row(attachments=[]))
    assert message.alternatives == []
    assert message.attachments == []
    assert message.connection is None


# ---- the waits -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempts", "minutes"),
    [(0, 360), (1, 1), (2, 5), (3, 15), (4, 60), (5, 360), (9, 360)],
)
def test_the_wait_after_each_failed_attempt_within_a_fifth_either_way(
    monkeypatch, attempts, minutes
):
    asked = []

    def uniform(low, high):
        asked.append((low, high))
        return high

    monkeypatch.setattr(delivery.random, "uniform", uniform)
    assert delivery.retry_delay(attempts) == timedelta(minutes=minutes) * 1.2
    assert asked == [(0.8, 1.2)]


# ---- the outcome -----------------------------------------------------------------------


def test_a_sent_row_records_when_and_forgets_its_lease_and_error():
    email = row(last_error={"type": "OSError"})
    outcome = delivery.deliver_now(email.pk, now=NOW)
    assert outcome == Outcome(State.SENT)
    email = fresh(email)
    assert (email.state, email.lease_until, email.last_error) == (State.SENT, None, None)
    assert email.sent_at == NOW
    assert email.body_text == "Hi"  # only sensitive e-mails are emptied once sent
    (sent,) = mail.outbox
    assert sent.subject == "Hello"


def test_a_sensitive_row_keeps_nothing_of_its_content_once_sent():
    attachment = {"filename": "a.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}
    email = row(sensitive=True, body_html="<p>Hi</p>", attachments=[attachment])
    delivery.deliver_now(email.pk, now=NOW)
    email = fresh(email)
    assert (email.body_text, email.body_html, email.attachments) == ("", "", [])
    assert email.subject == "Hello"


def test_a_slow_sender_whose_row_was_claimed_again_still_says_it_was_sent():
    email = row()
    first = delivery.claim(email.pk, now=NOW)
    delivery.claim(email.pk, now=NOW + timedelta(minutes=11))  # the lease ran out
    delivery._mark_sent(first, NOW + timedelta(minutes=12))
    email = fresh(email)
    assert (email.state, email.sent_at) == (State.SENT, NOW + timedelta(minutes=12))


def test_a_slow_sender_does_not_overwrite_an_attempt_that_finished():
    email = row()
    first = delivery.claim(email.pk, now=NOW)
    second = delivery.claim(email.pk, now=NOW + timedelta(minutes=11))
    delivery._mark_failed(second, {"permanent": True, "type": "X"}, NOW + timedelta(minutes=11))
    delivery._mark_sent(first, NOW + timedelta(minutes=12))
    delivery._mark_failed(first, {"permanent": False, "type": "Y"}, NOW + timedelta(minutes=12))
    email = fresh(email)
    assert (email.state, email.last_error) == (State.DEAD, {"permanent": True, "type": "X"})
    assert email.sent_at is None


def test_a_temporary_failure_waits_and_is_tried_again(monkeypatch, caplog):
    monkeypatch.setattr(delivery.random, "uniform", lambda low, high: 1.0)
    email = row(attempts=1)  # this is its second attempt: 5 minutes
    with caplog.at_level(logging.WARNING, logger="kokemustori.outbox.delivery"):
        outcome = delivery.deliver_now(
            email.pk,
            connection=Refusing(smtplib.SMTPResponseException(451, b"Try later")),
            now=NOW,
        )
    assert outcome.state == State.FAILED
    assert outcome.error == {
        "type": "SMTPResponseException",
        "code": 451,
        "message": "Try later",
        "permanent": False,
        "connection": False,
    }
    email = fresh(email)
    assert (email.state, email.attempts, email.lease_until) == (State.FAILED, 2, None)
    assert email.last_error == outcome.error
    assert email.next_attempt_at == NOW + timedelta(minutes=5)
    (record,) = caplog.records
    assert record.getMessage() == (
        f"E-mail {email.pk} not delivered (attempt 2, SMTPResponseException 451): now failed"
    )


def test_a_failure_without_a_code_is_logged_without_one(caplog):
    email = row()
    with caplog.at_level(logging.WARNING, logger="kokemustori.outbox.delivery"):
        delivery.deliver_now(email.pk, connection=Refusing(OSError("down")), now=NOW)
    (record,) = caplog.records
    assert (
        record.getMessage() == f"E-mail {email.pk} not delivered (attempt 1, OSError ): now failed"
    )


def test_a_permanent_failure_gives_up_at_once():
    email = row()
    outcome = delivery.deliver_now(
        email.pk,
        connection=Refusing(smtplib.SMTPResponseException(550, b"No such user")),
        now=NOW,
    )
    assert outcome.state == State.DEAD
    email = fresh(email)
    assert email.state == State.DEAD
    assert email.last_error["message"] == "No such user"


@pytest.mark.parametrize(
    ("age", "state"),
    [
        (timedelta(hours=48), State.DEAD),
        (timedelta(hours=47, minutes=59), State.FAILED),
    ],
)
def test_after_two_days_a_temporary_failure_is_given_up_too(age, state):
    email = row(created_at=NOW - age)
    delivery.claim(email.pk, now=NOW)
    email = fresh(email)
    assert delivery._mark_failed(email, {"permanent": False}, NOW) == state
    assert fresh(email).state == state
    if state == State.DEAD:
        assert email.next_attempt_at == NOW


def test_an_outcome_is_recorded_on_its_own_row_only():
    email, bystander = row(), row()
    mine = delivery.claim(email.pk, now=NOW)
    delivery.claim(bystander.pk, now=NOW)  # the same attempt number, another row
    delivery._mark_failed(mine, {"permanent": True}, NOW)
    assert fresh(bystander).state == State.SENDING
    again = row()
    taken = delivery.claim(again.pk, now=NOW)
    delivery.claim(again.pk, now=NOW + timedelta(minutes=11))  # its lease ran out: taken again
    delivery._mark_sent(taken, NOW + timedelta(minutes=12))
    assert fresh(again).state == State.SENT
    assert fresh(bystander).state == State.SENDING  # the fallback too touches its own row only


def test_a_row_put_back_in_the_queue_meanwhile_is_not_overwritten():
    email = row()
    mine = delivery.claim(email.pk, now=NOW)
    OutboundEmail.objects.filter(pk=email.pk).update(state=State.QUEUED)  # same attempt number
    delivery._mark_failed(mine, {"permanent": True}, NOW)
    assert fresh(email).state == State.QUEUED


def test_the_moment_given_decides_whether_the_row_is_due():
    email = row(next_attempt_at=NOW - timedelta(minutes=1))
    assert delivery.deliver_now(email.pk, now=NOW - timedelta(minutes=2)) == Outcome(None)
    assert fresh(email).state == State.QUEUED
    assert delivery.deliver_now(email.pk, now=NOW) == Outcome(State.SENT)
