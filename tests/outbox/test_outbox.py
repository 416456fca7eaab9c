"""The durable e-mail outbox: rows written with the change, delivered once, retried, swept."""

import asyncio
import os
import smtplib
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from kokemustori.kinds import ExpertKind
from kokemustori.notifications.tasks import send_email
from kokemustori.orders import workflow
from kokemustori.orders.models import OrderState
from kokemustori.outbox import delivery, services
from kokemustori.outbox.models import OutboundEmail, State
from tests.factories import UserFactory
from tests.factories.orders import order_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def queue(key="test:1", to="reader@example.org", **extra):
    fields = {
        "key": key,
        "to_email": to,
        "subject": "Hello",
        "body_text": "Plain words.\n",
        "template": "test",
        **extra,
    }
    return services.enqueue(**fields)


def make_due(row, **changes):
    """Put a row into a given state directly, as a crashed or earlier process left it."""
    OutboundEmail.objects.filter(pk=row.pk).update(**changes)
    row.refresh_from_db()
    return row


# ---- written with the change, sent after commit -----------------------------------------


def test_the_row_is_written_in_the_transaction_and_sent_after_commit(run_on_commit):
    with run_on_commit():
        row = queue(body_html="<p>Plain words.</p>")
        assert mail.outbox == []  # nothing leaves inside the transaction
    row.refresh_from_db()
    assert row.state == State.SENT and row.attempts == 1 and row.sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert message.subject == "Hello"
    assert message.body == "Plain words.\n"
    assert message.alternatives[0][0] == "<p>Plain words.</p>"
    assert message.extra_headers["Message-ID"] == row.message_id
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_a_rolled_back_step_leaves_no_e_mail(run_on_commit):
    with run_on_commit(), pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the step failed")
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_the_same_key_queues_one_e_mail(run_on_commit):
    with run_on_commit():
        first = queue(key="offer:42:sent:user:7")
        second = queue(key="offer:42:sent:user:7", subject="Another subject")
    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1
    assert [m.subject for m in mail.outbox] == ["Hello"]
    # Delivering the row again sends nothing more.
    assert services.deliver_now(first.pk).state is None
    assert len(mail.outbox) == 1


def test_a_notification_asked_twice_for_the_same_step_is_one_e_mail(run_on_commit):
    from kokemustori.notifications.dispatch import on_order_event

    with run_on_commit():
        order, coordinator = order_in_state(OrderState.SUBMITTED)
    event = order.events.get(action="submit")
    with run_on_commit():
        on_order_event(event.pk)  # e.g. a handler that ran again
    assert len([m for m in mail.outbox if m.to == [coordinator.user.email]]) == 1
    row = OutboundEmail.objects.get(user=coordinator.user)
    assert (
        row.key
        == f"notify:order_submitted:coordinator:event_id={event.pk}:user={coordinator.user.pk}"
    )


def test_notification_rows_keep_the_recipients_language_and_what_they_are_about(run_on_commit):
    with run_on_commit():
        order, coordinator = order_in_state(OrderState.SUBMITTED, coordinator=None)
    coordinator.user.language = "sv"
    coordinator.user.save()
    with run_on_commit():
        workflow.transition(order, "ask_changes", actor=coordinator.user, reason="Vilken sal?")
        orderer = order.orderer.user
    orderer.refresh_from_db()
    row = OutboundEmail.objects.get(user=orderer, template="order_changes_asked")
    assert row.language == orderer.language == "en"
    assert row.about == order
    assert row.event.startswith("order_changes_asked:event:")
    sv_user = UserFactory(language="sv")
    with run_on_commit():
        send_email.call(sv_user.pk, "order_accepted", {"order_id": order.pk, "role": "orderer"})
    sv_row = OutboundEmail.objects.get(user=sv_user)
    assert sv_row.language == "sv"
    assert sv_row.subject == f"Kokemustori: Din beställning har godkänts: {order.title}"
    assert mail.outbox[-1].to == [sv_user.email]


# ---- a worker killed mid-send ------------------------------------------------------------


def test_a_row_left_sending_by_a_killed_worker_is_sent_once_after_its_lease(run_on_commit):
    row = queue()  # the transaction never commits here: no fast path, as if the task was lost
    # A worker claimed it, then was killed before it could say how it went.
    assert delivery.claim(row.pk) is not None
    row.refresh_from_db()
    assert row.state == State.SENDING and row.attempts == 1
    assert mail.outbox == []

    # While the lease lasts, nobody else takes it.
    assert services.sweep().skipped == 0
    assert services.deliver_now(row.pk).state is None
    assert mail.outbox == []

    make_due(row, lease_until=timezone.now() - timedelta(seconds=1))
    result = services.sweep()
    assert (result.sent, result.failed) == (1, 0)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.state == State.SENT and row.attempts == 2
    # Sweeping again, or the lost task turning up late, sends nothing more.
    services.sweep()
    services.deliver_now(row.pk)
    assert len(mail.outbox) == 1


def test_a_slow_sender_whose_lease_ran_out_cannot_overwrite_the_newer_attempt():
    row = queue()
    stale = delivery.claim(row.pk)
    make_due(row, lease_until=timezone.now() - timedelta(seconds=1))
    fresh = delivery.claim(row.pk)
    assert fresh.attempts == stale.attempts + 1
    delivery._mark_failed(stale, {"permanent": True, "type": "X", "code": 550}, timezone.now())
    row.refresh_from_db()
    assert row.state == State.SENDING  # the stale attempt's failure was not recorded
    delivery._mark_sent(fresh, timezone.now())
    row.refresh_from_db()
    assert row.state == State.SENT


def test_the_sweeper_command_and_periodic_send_what_is_due():
    rows = [queue(key=f"k{n}") for n in range(3)]
    make_due(rows[2], next_attempt_at=timezone.now() + timedelta(minutes=5))
    call_command("outbox_sweep", verbosity=0)
    assert len(mail.outbox) == 2
    make_due(rows[2], next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("periodic", verbosity=0)
    assert len(mail.outbox) == 3
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {State.SENT}


# ---- SMTP down, SMTP refusing --------------------------------------------------------------


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    yield controller, inbox
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def test_smtp_down_is_retried_later_and_sent_when_the_server_is_back(smtp, run_on_commit):
    controller, inbox = smtp
    before = timezone.now()
    with run_on_commit():
        row = queue()  # the fast path runs at commit: nobody listens on the port
    row.refresh_from_db()
    assert row.state == State.FAILED and row.attempts == 1
    assert row.last_error["type"] == "ConnectionRefusedError"
    assert row.last_error["permanent"] is False
    # The first retry waits about a minute (with up to 20 % jitter).
    assert before + timedelta(seconds=47) <= row.next_attempt_at
    assert row.next_attempt_at <= timezone.now() + timedelta(seconds=73)
    # Not yet due: the sweeper leaves it alone.
    assert services.sweep().failed == 0
    assert OutboundEmail.objects.get(pk=row.pk).attempts == 1

    # Still down at the next attempt: the wait grows to about five minutes.
    make_due(row, next_attempt_at=timezone.now() - timedelta(seconds=1))
    result = services.sweep()
    assert result.failed == 1 and result.stopped_early
    row.refresh_from_db()
    assert row.attempts == 2
    assert timezone.now() + timedelta(minutes=3) < row.next_attempt_at
    assert row.next_attempt_at < timezone.now() + timedelta(minutes=7)

    controller.start()  # the server is back
    make_due(row, next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert services.sweep().sent == 1
    row.refresh_from_db()
    assert row.state == State.SENT and row.attempts == 3 and row.last_error is None
    assert len(inbox.messages) == 1
    assert f"Message-ID: {row.message_id}" in inbox.messages[0]
    assert "Plain words." in inbox.messages[0]


class Refusing:
    def __init__(self, code):
        self.code = code

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"reader@example.org": (self.code, b"no such user")})


def test_a_permanent_refusal_is_dead_at_once_and_a_temporary_one_is_retried():
    dead = queue(key="a")
    assert services.deliver_now(dead.pk, connection=Refusing(550)).state == State.DEAD
    dead.refresh_from_db()
    assert dead.last_error == {
        "type": "SMTPRecipientsRefused",
        "code": 550,
        "message": "no such user",
        "permanent": True,
        "connection": False,
    }
    assert services.sweep().sent == 0  # dead rows are not swept
    later = queue(key="b")
    assert services.deliver_now(later.pk, connection=Refusing(451)).state == State.FAILED


def test_it_gives_up_after_two_days_of_failures():
    row = queue()
    make_due(row, created_at=timezone.now() - timedelta(hours=48, minutes=1))
    assert services.deliver_now(row.pk, connection=Refusing(421)).state == State.DEAD


@pytest.mark.parametrize(
    ("attempts", "low", "high"),
    [(1, 48, 72), (2, 240, 360), (3, 720, 1080), (4, 2880, 4320), (5, 17280, 25920)],
)
def test_back_off_grows_with_jitter(attempts, low, high):
    waits = {delivery.retry_delay(attempts).total_seconds() for _ in range(20)}
    assert all(low <= wait <= high for wait in waits)
    assert len(waits) > 1  # jittered, so a crowd of failures does not retry in step


# ---- account e-mails are sensitive ---------------------------------------------------------


def test_password_reset_goes_through_the_outbox_in_the_users_language_and_is_blanked(
    client, run_on_commit
):
    user = UserFactory(language="sv")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    with run_on_commit():
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    row = OutboundEmail.objects.get(to_email=user.email)
    assert row.sensitive and row.template == "account:password_reset_key"
    assert row.user == user and row.language == "sv"
    assert row.state == State.SENT
    assert row.body_text == "" and row.body_html == ""  # blanked once sent
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "lösenord" in mail.outbox[0].body.lower()


def test_a_login_code_is_queued_even_when_smtp_is_down(client, smtp, run_on_commit):
    user = UserFactory(language="fi")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    with run_on_commit():
        response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.status_code == 302  # the person is not shown an error page
    row = OutboundEmail.objects.get(to_email=user.email)
    assert row.sensitive and row.state == State.FAILED
    assert row.body_text  # kept until it is sent: the code must still reach the person
    assert row.language == "fi"


# ---- the worker survives the database going away ------------------------------------------


# Transactional: the worker closes its connections after a database error, as it should.
@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_running_through_a_database_outage(monkeypatch, caplog):
    from django_tasks_db.management.commands import db_worker

    rounds = []
    real_run = db_worker.Worker.run

    def flaky_run(self):
        rounds.append(1)
        if len(rounds) <= 2:
            raise OperationalError("could not connect to server: Connection refused")
        return real_run(self)

    monkeypatch.setattr(db_worker.Worker, "run", flaky_run)
    row = queue()  # waiting, its task lost
    call_command("outbox_worker", rounds=3, interval=0, max_backoff=0, sweep_every=0, verbosity=0)
    assert len(rounds) == 3  # tried again after each failure, no exit
    assert "Database unavailable (OperationalError" in caplog.text
    row.refresh_from_db()
    assert row.state == State.SENT  # and once the database was back, the sweep sent it
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_a_sweep_that_loses_the_database(monkeypatch):
    calls = []

    def sweep():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return services.SweepResult()

    monkeypatch.setattr("kokemustori.outbox.management.commands.outbox_worker.sweep", sweep)
    call_command("outbox_worker", rounds=2, interval=0, max_backoff=0, sweep_every=0, verbosity=0)
    assert len(calls) == 2


# ---- the outgoing e-mails page -----------------------------------------------------------


def failed_offer_email(run_on_commit):
    """An expert's offer e-mail that the mail server refused for now, and who is who."""
    from tests.factories import CoordinatorFactory, ExpertFactory
    from tests.factories.orders import offer_to

    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    offer_to(order, expert, coordinator)
    row = OutboundEmail.objects.get(user=expert.user, template="offer_received")
    make_due(row, state=State.FAILED, attempts=3, last_error={"type": "TimeoutError"})
    other = CoordinatorFactory()  # of another organisation
    return row, coordinator, expert, other


def test_a_coordinator_sees_the_failed_e_mail_to_their_expert_and_sends_it_again(
    client, run_on_commit
):
    row, coordinator, expert, _ = failed_offer_email(run_on_commit)
    client.force_login(coordinator.user)
    page = client.get(reverse("notifications:outbox"))
    assert page.status_code == 200
    body = page.content.decode()
    assert row.subject in body and expert.user.email in body
    assert "TimeoutError" in body
    assert f"Failed, will be tried again ({1})" in body
    detail = client.get(reverse("notifications:email", args=[row.pk]))
    assert row.body_text.splitlines()[0] in detail.content.decode()
    mail.outbox.clear()
    with run_on_commit():
        response = client.post(reverse("notifications:retry", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:email", args=[row.pk])
    row.refresh_from_db()
    assert row.state == State.SENT and row.attempts == 4
    assert [m.to for m in mail.outbox] == [[expert.user.email]]
    # Sent: it cannot be "sent again" a second time.
    with run_on_commit():
        client.post(reverse("notifications:retry", args=[row.pk]))
    assert len(mail.outbox) == 1


def test_another_organisations_coordinator_neither_sees_nor_retries_it(client, run_on_commit):
    row, _, expert, other = failed_offer_email(run_on_commit)
    client.force_login(other.user)
    page = client.get(reverse("notifications:outbox"))
    assert page.status_code == 200
    assert expert.user.email not in page.content.decode()
    assert client.get(reverse("notifications:email", args=[row.pk])).status_code == 404
    assert client.post(reverse("notifications:retry", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.state == State.FAILED


def test_the_expert_themself_may_not_open_the_outbox(client, run_on_commit):
    row, _, expert, _ = failed_offer_email(run_on_commit)
    client.force_login(expert.user)
    assert client.get(reverse("notifications:outbox")).status_code == 403
    assert client.get(reverse("notifications:email", args=[row.pk])).status_code == 404


def test_an_administrator_sees_every_e_mail_but_never_a_sensitive_body(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    row = queue(sensitive=True, body_text="Your code is 918273\n")
    make_due(row, state=State.DEAD, last_error={"type": "SMTPRecipientsRefused", "code": 550})
    client.force_login(admin)
    listing = client.get(reverse("notifications:outbox") + "?state=dead")
    assert "reader@example.org" in listing.content.decode()
    detail = client.get(reverse("notifications:email", args=[row.pk])).content.decode()
    assert "918273" not in detail
    assert "The content is hidden" in detail
    assert "550" in detail


def test_the_page_is_translated(client, run_on_commit):
    row, coordinator, _, _ = failed_offer_email(run_on_commit)
    client.force_login(coordinator.user)
    fi = client.get("/fi/notifications/outbox/").content.decode()
    sv = client.get("/sv/notifications/outbox/").content.decode()
    assert "Lähtevät sähköpostit" in fi and "Lähetä uudelleen nyt" in fi
    assert "Utgående e-post" in sv and "Skicka igen nu" in sv


def test_old_sent_and_given_up_e_mails_are_removed_and_waiting_ones_kept(settings):
    settings.OUTBOX_KEEP_DAYS = 90
    long_ago = timezone.now() - timedelta(days=91)
    recently = timezone.now() - timedelta(days=89)
    old_sent = make_due(queue(key="a"), state=State.SENT, sent_at=long_ago)
    new_sent = make_due(queue(key="b"), state=State.SENT, sent_at=recently)
    old_dead = make_due(queue(key="c"), state=State.DEAD, next_attempt_at=long_ago)
    old_waiting = make_due(queue(key="d"), state=State.FAILED, next_attempt_at=long_ago)
    assert services.purge_sent() == 2
    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == {new_sent.pk, old_waiting.pk}
    assert not OutboundEmail.objects.filter(pk__in=[old_sent.pk, old_dead.pk]).exists()


# ---- a real worker process, killed while the mail server has its e-mail --------------------


class Stalling:
    """A mail server that holds the first e-mail's DATA until told, then refuses it (451):
    the e-mail was never accepted. Later e-mails are accepted."""

    def __init__(self):
        self.messages = []
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.holding.is_set():
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            return "451 4.3.0 try again later"
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


def _wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_mid_send_only_delays_the_e_mail(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share with the test")
    port = free_port()
    server = Stalling()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    row = OutboundEmail.objects.create(
        key="kill:1", to_email="reader@example.org", subject="Hello", body_text="Words.\n"
    )
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "OUTBOX_LEASE_SECONDS": "3",
        "DEBUG": "true",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "outbox_sweep", "--skip-checks"],
        cwd=settings.BASE_DIR.parent.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_for(server.holding.is_set), "the worker never reached the mail server"
        row.refresh_from_db()
        assert row.state == State.SENDING and row.attempts == 1
        worker.kill()  # SIGKILL: no chance to record anything
        worker.wait(timeout=30)
    finally:
        server.release.set()
        if worker.poll() is None:
            worker.kill()
    row.refresh_from_db()
    assert row.state == State.SENDING  # left behind by the dead worker

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    assert services.sweep().sent == 0  # its lease still runs: nobody else takes it
    time.sleep(3.5)
    assert services.sweep().sent == 1
    controller.stop()
    row.refresh_from_db()
    assert row.state == State.SENT and row.attempts == 2
    assert len(server.messages) == 1
    assert f"Message-ID: {row.message_id}" in server.messages[0]


def test_a_sent_e_mail_can_be_sent_again_as_a_copy_but_never_a_sensitive_one(client, run_on_commit):
    row, coordinator, expert, _ = failed_offer_email(run_on_commit)
    make_due(row, state=State.SENT, sent_at=timezone.now())
    client.force_login(coordinator.user)
    assert (
        "Send a copy" in client.get(reverse("notifications:email", args=[row.pk])).content.decode()
    )
    mail.outbox.clear()
    with run_on_commit():
        response = client.post(reverse("notifications:resend", args=[row.pk]))
    assert response["Location"] == reverse("notifications:email", args=[row.pk])
    copy = OutboundEmail.objects.get(resend_of=row)
    assert copy.state == State.SENT and copy.message_id != row.message_id
    assert copy.key == f"copy:{row.pk}:1" and copy.about == row.about
    assert [m.body for m in mail.outbox] == [row.body_text]
    row.refresh_from_db()
    assert row.state == State.SENT  # the original stays as it was
    sensitive = make_due(queue(key="s", sensitive=True, user=expert.user), state=State.SENT)
    with run_on_commit():
        client.post(reverse("notifications:resend", args=[sensitive.pk]))
    assert not OutboundEmail.objects.filter(resend_of=sensitive).exists()
    assert len(mail.outbox) == 1
