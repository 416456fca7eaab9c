"""The outbox's services one by one (outbox/services.py): what a row holds when queued, a failed
e-mail tried again, a copy of a sent one, the sweep's order and counts, what is purged when.
Written against what mutation testing showed the path tests did not check."""

import logging
from datetime import timedelta

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from kokemustori.outbox import services
from kokemustori.outbox.delivery import Outcome
from kokemustori.outbox.models import OutboundEmail, State
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queue(key="k:1", **extra):
    fields = {"key": key, "to_email": "reader@example.org", "subject": "Hello", "body_text": "Hi"}
    return services.enqueue(**(fields | extra))


def put(row, **changes):
    OutboundEmail.objects.filter(pk=row.pk).update(**changes)
    row.refresh_from_db()
    return row


def test_a_plain_e_mail_is_queued_with_empty_extras_and_the_site_language(settings):
    settings.LANGUAGE_CODE = "fi"
    row = queue()
    row.refresh_from_db()
    assert (row.body_html, row.template, row.event, row.language) == ("", "", "", "fi")
    assert row.attachments == []
    assert row.state == State.QUEUED


def test_a_long_subject_is_one_line_of_at_most_998_characters():
    row = queue(subject="Word\n  " + "x" * 1200)
    assert row.subject.startswith("Word x") and len(row.subject) == 998


def test_attachments_are_kept_as_plain_dictionaries():
    pairs = [("filename", "agreement.pdf"), ("mimetype", "application/pdf")]
    row = queue(attachments=[pairs])
    row.refresh_from_db()
    assert row.attachments == [{"filename": "agreement.pdf", "mimetype": "application/pdf"}]


def test_a_failure_to_queue_the_delivery_is_logged_with_the_row(monkeypatch, caplog):
    class Broken:
        def enqueue(self, *args, **kwargs):
            raise RuntimeError("queue down")

    monkeypatch.setattr(services, "deliver", Broken())
    with caplog.at_level(logging.WARNING, logger="kokemustori.outbox.services"):
        services._kick(41)
    assert [r.getMessage() for r in caplog.records] == [
        "Could not queue delivery of e-mail 41; the sweeper will"
    ]


@pytest.mark.parametrize("state", [State.FAILED, State.DEAD])
def test_a_failed_or_given_up_e_mail_is_tried_again_at_once(
    state, django_capture_on_commit_callbacks
):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    row = put(queue(), state=state, next_attempt_at=an_hour_ago, lease_until=an_hour_ago)
    other = put(queue(key="k:2"), state=State.FAILED, next_attempt_at=an_hour_ago)
    before = timezone.now()
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.retry(row) is True
    row.refresh_from_db()
    assert row.state == State.QUEUED and row.lease_until is None
    assert row.next_attempt_at >= before
    assert len(callbacks) == 1  # the delivery is queued once committed
    other.refresh_from_db()
    assert (other.state, other.next_attempt_at) == (State.FAILED, an_hour_ago)


def test_a_sent_e_mail_is_not_tried_again():
    sent_at = timezone.now() - timedelta(days=1)
    row = put(queue(), state=State.SENT, sent_at=sent_at)
    assert services.retry(row) is False
    row.refresh_from_db()
    assert row.state == State.SENT


def test_a_copy_keeps_everything_of_the_e_mail_but_its_identity():
    user = UserFactory()
    attachment = {"filename": "a.pdf", "mimetype": "application/pdf", "content": "AAAA"}
    row = queue(
        key="x" * 200,
        user=user,
        language="sv",
        template="offer",
        event="offer_sent",
        body_html="<p>Hej</p>",
        attachments=[attachment],
    )
    put(row, state=State.SENT, sent_at=timezone.now())
    copy = services.resend(row)
    assert copy.pk != row.pk and copy.resend_of == row
    assert copy.key == f"copy:{row.pk}:1"  # a key of its own, however long the original's
    assert (copy.user, copy.language, copy.template, copy.event) == (
        user,
        "sv",
        "offer",
        "offer_sent",
    )
    assert (copy.subject, copy.body_text, copy.body_html) == ("Hello", "Hi", "<p>Hej</p>")
    assert copy.attachments == [attachment]


def test_the_sweep_sends_the_longest_waiting_first_and_counts_each_outcome(monkeypatch):
    now = timezone.now()
    # Nine rows due: two sent, two failed, three given up, two not claimed (somebody else
    # has it); the two of 30 minutes ago were both due then: the one written first goes first.
    ages = [130, 120, 110, 100, 90, 80, 70, 30, 30]
    outcomes = [
        State.SENT,
        State.FAILED,
        State.DEAD,
        None,
        State.SENT,
        State.FAILED,
        None,
        State.DEAD,
        State.DEAD,
    ]
    rows = []
    for n, (minutes, outcome) in enumerate(zip(ages, outcomes, strict=True)):
        due = now - timedelta(minutes=minutes)
        rows.append(
            (
                put(queue(key=f"r{n}"), next_attempt_at=due, created_at=due - timedelta(seconds=n)),
                outcome,
            )
        )
    last_two = [rows[7][0], rows[8][0]]
    put(last_two[0], created_at=now - timedelta(hours=5))  # written before the other
    put(last_two[1], created_at=now - timedelta(hours=6))  # … and this one before both
    outcome_of = {row.pk: outcome for row, outcome in rows}
    tried = []

    def deliver_now(email_id):
        tried.append(email_id)
        return Outcome(outcome_of[email_id])

    monkeypatch.setattr(services, "deliver_now", deliver_now)
    result = services.sweep(now)
    assert tried == [row.pk for row, _ in rows[:7]] + [last_two[1].pk, last_two[0].pk]
    assert (result.sent, result.failed, result.dead, result.skipped) == (2, 2, 3, 2)
    assert result.stopped_early is False


def test_a_key_queued_by_another_transaction_at_the_same_moment_gives_that_row(monkeypatch):
    first = queue(key="race")
    # The other transaction's row was not there when this one looked (the lookup misses it).
    monkeypatch.setattr(QuerySet, "first", lambda self: None)
    again = queue(key="race", subject="Something else")
    assert again.pk == first.pk and again.subject == "Hello"
    assert OutboundEmail.objects.filter(key="race").count() == 1


def test_purge_keeps_a_recently_given_up_e_mail_and_uses_the_setting(settings):
    settings.OUTBOX_KEEP_DAYS = 10
    now = timezone.now()
    dead_yesterday = put(queue(key="d1"), state=State.DEAD, next_attempt_at=now - timedelta(days=1))
    sent_11_days = put(queue(key="s1"), state=State.SENT, sent_at=now - timedelta(days=11))
    sent_9_days = put(queue(key="s2"), state=State.SENT, sent_at=now - timedelta(days=9))
    failed_with_old_send = put(
        queue(key="f1"), state=State.FAILED, sent_at=now - timedelta(days=30)
    )
    assert services.purge_sent(now) == 1
    left = set(OutboundEmail.objects.values_list("pk", flat=True))
    assert left == {dead_yesterday.pk, sent_9_days.pk, failed_with_old_send.pk}
    assert sent_11_days.pk not in left


def test_one_sweep_sends_at_most_two_hundred(monkeypatch):
    past = timezone.now() - timedelta(minutes=1)
    for n in range(201):
        put(queue(key=f"many:{n}"), next_attempt_at=past)
    tried = []
    monkeypatch.setattr(
        services, "deliver_now", lambda email_id: tried.append(email_id) or Outcome(State.SENT)
    )
    assert services.sweep().sent == 200
    assert len(tried) == 200  # the last one waits for the next pass, a minute later
