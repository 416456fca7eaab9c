"""E-mails on the ordering path: right people, their language, after commit, privacy,
reminders once, and the periodic command."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from kokemustori.agreements.models import Agreement
from kokemustori.kinds import ExpertKind
from kokemustori.notifications import tasks as notification_tasks
from kokemustori.notifications.models import ReminderKind, ReminderSent
from kokemustori.notifications.reminders import send_due_reminders
from kokemustori.notifications.tasks import site_link
from kokemustori.offers import services
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orders import workflow
from kokemustori.orders.models import Order, OrderState
from kokemustori.outbox.services import sweep
from tests.factories import CoordinatorFactory, ExpertFactory, OrganisationFactory, UserFactory
from tests.factories.orders import OrderFactory, offer_to, order_in_state

SITE = settings.SITE_URL.rstrip("/")
TITLE = OrderFactory._meta.declarations["title"]


def to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def only_one_to(user):
    messages = to(user)
    assert len(messages) == 1, [m.subject for m in messages]
    return messages[0]


def links_in(message):
    return [w for w in message.body.split() if w.startswith(SITE)]


def assert_language(message, code):
    """The e-mail was rendered under translation.override(code): its links carry /code/."""
    links = links_in(message)
    assert links, message.body
    assert all(link.startswith(f"{SITE}/{code}/") for link in links), links


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (and the e-mail tasks they queue) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sv_coordinator(**kwargs):
    return CoordinatorFactory(user__language="sv", **kwargs)


def expert_of(coordinator, **kwargs):
    return ExpertFactory(
        organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT], **kwargs
    )


def accepted(order, coordinator, expert):
    offer = offer_to(order, expert, coordinator)
    services.accept(expert.user, offer.pk, FeeType.WORK_COMPENSATION)
    offer.refresh_from_db()
    return offer


# ---- order steps -----------------------------------------------------------------------


@pytest.mark.django_db
def test_submitted_order_goes_to_coordinators_in_charge_in_their_language(run_on_commit):
    coordinator = sv_coordinator()
    colleague = CoordinatorFactory(organisation=coordinator.organisation, user__language="fi")
    elsewhere = CoordinatorFactory()
    with run_on_commit():
        order, _ = order_in_state(OrderState.SUBMITTED, coordinator=coordinator)
    message = only_one_to(coordinator.user)
    assert TITLE in message.subject
    assert order.orderer.organisation_name in message.body
    assert_language(message, "sv")
    assert_language(only_one_to(colleague.user), "fi")
    assert to(elsewhere.user) == []
    assert to(order.orderer.user) == []  # nobody is told about their own action


@pytest.mark.django_db
def test_network_order_goes_to_coordinators_of_all_active_organisations(run_on_commit):
    first, second = CoordinatorFactory(), CoordinatorFactory()
    dormant = CoordinatorFactory(organisation=OrganisationFactory(is_active=False))
    order = OrderFactory(organisation=None)
    with run_on_commit():
        workflow.transition(order, "submit", actor=order.orderer.user)
    assert len(to(first.user)) == len(to(second.user)) == 1
    assert to(dormant.user) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (OrderState.NEEDS_CHANGES, "Add the room number."),
        (OrderState.DECLINED, "We have no experts on this topic."),
        (OrderState.MATCHING, None),
    ],
)
def test_review_outcome_goes_to_the_orderer_with_the_reason(run_on_commit, state, reason):
    order = OrderFactory(orderer__user__language="sv")
    coordinator = CoordinatorFactory()
    with run_on_commit():
        order, coordinator = order_in_state(state, coordinator=coordinator, orderer=order.orderer)
    message = only_one_to(order.orderer.user)
    assert TITLE in message.subject
    if reason:
        assert reason in message.body
    assert_language(message, "sv")
    # The coordinator got the submission only, not their own review step.
    assert len(to(coordinator.user)) == 1


@pytest.mark.django_db
def test_reason_is_not_html_escaped(run_on_commit):
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    with run_on_commit():
        workflow.transition(
            order, "ask_changes", actor=coordinator.user, reason='Say "when" & <where>'
        )
    assert 'Say "when" & <where>' in only_one_to(order.orderer.user).body


# ---- offers and agreements -------------------------------------------------------------


@pytest.mark.django_db
def test_offer_goes_to_the_expert_with_expectations_time_fee_and_deadline(run_on_commit):
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = expert_of(coordinator, user__language="sv")
    with run_on_commit():
        offer = offer_to(order, expert, coordinator)
    message = only_one_to(expert.user)
    assert TITLE in message.subject
    assert order.expectations in message.body
    assert "250,00" in message.body  # the fee, in Swedish number format
    assert "90" in message.body and "120" in message.body  # event and preparation minutes
    with translation.override("sv"):
        from django.utils.formats import date_format

        deadline = date_format(timezone.localtime(offer.expires_at), "DATETIME_FORMAT")
    assert deadline in message.body
    with translation.override("sv"):
        assert site_link("offers:detail", [offer.pk]) in links_in(message)
    assert_language(message, "sv")
    assert to(coordinator.user) == []  # the "offer" transition itself sends nothing


@pytest.mark.django_db
def test_acceptance_tells_coordinators_and_sends_the_agreement_to_both(run_on_commit):
    order, coordinator = order_in_state(
        OrderState.MATCHING, orderer=OrderFactory(orderer__user__language="fi").orderer
    )
    expert = expert_of(coordinator, user__language="sv")
    offer = offer_to(order, expert, coordinator)
    mail.outbox.clear()
    with run_on_commit():
        services.accept(expert.user, offer.pk, FeeType.WAGE)
    agreement = Agreement.objects.get(offer=offer)
    assert "accepted" in only_one_to(coordinator.user).subject
    to_orderer = only_one_to(order.orderer.user)
    to_expert = only_one_to(expert.user)
    for message, language in ((to_orderer, "fi"), (to_expert, "sv")):
        assert TITLE in message.subject
        assert_language(message, language)
        with translation.override(language):
            assert site_link("agreements:detail", [agreement.pk]) in links_in(message)
        # The calendar from agreements.ics, with the agreement's event ids.
        (attachment,) = message.attachments
        assert f"agreement-{agreement.pk}-assignment@" in attachment[1]


@pytest.mark.django_db
def test_orderer_never_sees_the_legal_name_or_story_of_a_pseudonymous_expert(run_on_commit):
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = expert_of(
        coordinator,
        uses_pseudonym=True,
        pseudonym="Kettu",
        user__first_name="Anneli",
        user__last_name="Salmikivi",
    )
    # Each step in its own transaction, as in separate requests.
    with run_on_commit():
        offer = offer_to(order, expert, coordinator)
    with run_on_commit():
        services.accept(expert.user, offer.pk, FeeType.WAGE)
    Order.objects.filter(pk=order.pk).update(starts_at=timezone.now() + timedelta(days=1))
    with run_on_commit():
        send_due_reminders()
    assert len(to(expert.user)) == 3  # the offer, the agreement, the reminder
    orderer_mail = to(order.orderer.user)
    assert orderer_mail
    for message in orderer_mail:
        text = message.subject + message.body
        assert "Salmikivi" not in text
        assert "Anneli" not in text
    assert any("Kettu" in m.body for m in orderer_mail)
    for message in mail.outbox:  # nobody gets the expert's own story by e-mail
        assert "PRIVATE-STORY" not in message.body


CALENDAR_LINE = "A calendar entry for the assignment is attached."
TERMS_LINE = "The agreement's cancellation terms say how the fee and costs are handled."


def in_language(user, text):
    with translation.override(user.language):
        return translation.gettext(text)


@pytest.mark.django_db
def test_agreement_mail_attaches_the_calendar_when_available(run_on_commit, monkeypatch):
    calls = []
    real_calendar_for = notification_tasks.calendar_for

    def calendar_for(agreement, language, **kwargs):  # the real calendar, noting the language
        calls.append(language)
        return real_calendar_for(agreement, language, **kwargs)

    monkeypatch.setattr(notification_tasks, "calendar_for", calendar_for)
    order, coordinator = order_in_state(OrderState.MATCHING, orderer__user__language="sv")
    expert = expert_of(coordinator, user__language="fi")
    offer = offer_to(order, expert, coordinator)
    mail.outbox.clear()
    with run_on_commit():
        services.accept(expert.user, offer.pk, FeeType.WAGE)
    for user in (order.orderer.user, expert.user):
        (attachment,) = only_one_to(user).attachments
        assert attachment[0].endswith(".ics")
        assert "VCALENDAR" in attachment[1]
        assert in_language(user, CALENDAR_LINE) in only_one_to(user).body
    assert sorted(calls) == ["fi", "sv"]
    assert only_one_to(coordinator.user).attachments == []


@pytest.mark.django_db
def test_agreement_mail_goes_without_calendar_when_it_cannot_be_made(run_on_commit, monkeypatch):
    def broken_calendar(agreement, language, **kwargs):
        raise ValueError("no calendar today")

    monkeypatch.setattr(notification_tasks, "calendar_for", broken_calendar)
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = expert_of(coordinator)
    offer = offer_to(order, expert, coordinator)
    mail.outbox.clear()
    with run_on_commit():
        services.accept(expert.user, offer.pk, FeeType.WAGE)
    assert only_one_to(order.orderer.user).attachments == []
    assert only_one_to(expert.user).attachments == []
    assert in_language(expert.user, CALENDAR_LINE) not in only_one_to(expert.user).body


@pytest.mark.django_db
def test_cancellation_goes_to_the_other_parties_with_the_reason(run_on_commit):
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = expert_of(coordinator, user__language="sv")
    bystander = expert_of(coordinator)
    offer_to(order, expert, coordinator)
    order.refresh_from_db()
    mail.outbox.clear()
    with run_on_commit():
        workflow.transition(
            order, "cancel", actor=order.orderer.user, reason="The course was moved."
        )
    assert to(order.orderer.user) == []
    for user in (coordinator.user, expert.user):
        message = only_one_to(user)
        assert TITLE in message.subject
        assert "The course was moved." in message.body
    # no agreement yet
    assert in_language(expert.user, TERMS_LINE) not in only_one_to(expert.user).body
    assert_language(only_one_to(expert.user), "sv")
    assert to(bystander.user) == []


@pytest.mark.django_db
def test_cancelling_an_agreed_order_tells_the_orderer_and_the_agreed_expert(run_on_commit):
    order, coordinator, expert = agreed_order()
    mail.outbox.clear()
    with run_on_commit():
        workflow.transition(order, "cancel", actor=coordinator.user, reason="No room.")
    assert to(coordinator.user) == []
    assert "No room." in only_one_to(order.orderer.user).body
    to_expert = only_one_to(expert.user)
    assert in_language(expert.user, TERMS_LINE) in to_expert.body
    agreement = Agreement.objects.get(order=order)
    with translation.override("sv"):
        assert site_link("agreements:detail", [agreement.pk]) in links_in(to_expert)


@pytest.mark.django_db
def test_cancelled_draft_tells_nobody(run_on_commit):
    order = OrderFactory()
    coordinator = CoordinatorFactory()
    with run_on_commit():
        workflow.transition(order, "cancel", actor=order.orderer.user, reason="Not needed.")
    assert mail.outbox == []
    assert to(coordinator.user) == []


# ---- queued after commit ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back():
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    assert len(to(coordinator.user)) == 1  # committed: the submission was told
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.transition(order, "ask_changes", actor=coordinator.user, reason="Room?")
        raise RuntimeError("something later failed")
    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED
    assert to(order.orderer.user) == []
    workflow.transition(order, "ask_changes", actor=coordinator.user, reason="Room?")
    assert len(to(order.orderer.user)) == 1


# Transactional: the worker closes its database connection when it finishes, as it should.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_mail_waits_for_the_worker(run_on_commit, settings):
    from django_tasks_db.models import DBTaskResult

    # django_tasks resets its backends when TASKS changes (setting_changed).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with run_on_commit():
        order, coordinator = order_in_state(OrderState.SUBMITTED)
    assert mail.outbox == []  # never sent inside the request
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert len(to(coordinator.user)) == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1


def test_links_fall_back_to_the_dashboard_in_the_recipients_language():
    with translation.override("sv"):
        link = site_link("no-such-app:detail", [1])
    assert link == f"{SITE}/sv/dashboard/"


# ---- reminders and the periodic command ------------------------------------------------


def agreed_order(coordinator=None, **kwargs):
    order, coordinator = order_in_state(OrderState.MATCHING, coordinator=coordinator, **kwargs)
    expert = expert_of(coordinator, user__language="sv")
    accepted(order, coordinator, expert)
    order.refresh_from_db()
    assert order.state == OrderState.AGREED
    sweep()  # the offer's and the agreement's e-mails go out now, before the test's own
    return order, coordinator, expert


@pytest.mark.django_db
def test_assignment_reminder_is_sent_once_to_expert_and_orderer(run_on_commit):
    order, coordinator, expert = agreed_order()
    soon = timezone.now() + timedelta(days=1, hours=20)
    Order.objects.filter(pk=order.pk).update(starts_at=soon, debrief_at=soon + timedelta(days=5))
    mail.outbox.clear()
    with run_on_commit():
        call_command("periodic", verbosity=0)
        call_command("periodic", verbosity=0)
    reminder = only_one_to(expert.user)
    assert TITLE in reminder.subject
    assert_language(reminder, "sv")
    assert len(to(order.orderer.user)) == 1
    assert to(coordinator.user) == []
    assert ReminderSent.objects.filter(order=order, kind=ReminderKind.ASSIGNMENT).count() == 2


@pytest.mark.django_db
def test_no_reminder_more_than_two_days_ahead_or_after_the_event(run_on_commit):
    order, _, _ = agreed_order()
    mail.outbox.clear()
    for starts in (timedelta(days=2, hours=1), -timedelta(hours=1)):
        Order.objects.filter(pk=order.pk).update(
            starts_at=timezone.now() + starts, debrief_at=timezone.now() + timedelta(days=9)
        )
        with run_on_commit():
            assert send_due_reminders() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_debrief_reminder_goes_to_expert_and_orderer_once(run_on_commit):
    order, _, expert = agreed_order()
    workflow.transition(order, "complete", actor=order.orderer.user)
    Order.objects.filter(pk=order.pk).update(
        starts_at=timezone.now() - timedelta(days=1),
        debrief_at=timezone.now() + timedelta(hours=30),
    )
    mail.outbox.clear()
    with run_on_commit():
        assert send_due_reminders() == 2
        assert send_due_reminders() == 0
    for user in (expert.user, order.orderer.user):
        message = only_one_to(user)
        assert TITLE in message.body
        assert order.debrief_by in message.body
    assert ReminderSent.objects.filter(kind=ReminderKind.DEBRIEF).count() == 2


@pytest.mark.django_db
def test_periodic_expires_overdue_offers_and_tells_coordinators(run_on_commit):
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = expert_of(coordinator)
    offer = offer_to(order, expert, coordinator)
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    sweep()  # the offer's own e-mail goes out now
    mail.outbox.clear()
    with run_on_commit():
        call_command("periodic", verbosity=0)
        call_command("periodic", verbosity=0)
    offer.refresh_from_db()
    order.refresh_from_db()
    assert offer.state == OfferState.EXPIRED
    assert order.state == OrderState.MATCHING
    assert len(to(coordinator.user)) == 1  # experts are needed again
    assert to(expert.user) == []


@pytest.mark.django_db
def test_inactive_users_get_nothing(run_on_commit):
    coordinator = CoordinatorFactory(user=UserFactory(is_active=False))
    with run_on_commit():
        order_in_state(OrderState.SUBMITTED, coordinator=coordinator)
    assert mail.outbox == []
