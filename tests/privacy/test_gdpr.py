"""The right of access and the right to erasure (kokemustori.privacy).

The erasure tests take a person through the ordering path with the real services, with a
unique marker in every personal text (names, e-mail, phone, pseudonym, profile, training,
decisions, messages, debrief, feedback, expenses, a cancellation), erase them, and then read
every row of every table, third-party ones included, to prove that the markers are left only
in the agreements and fee records that the law requires to keep.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from kokemustori.agreements import services as agreement_services
from kokemustori.agreements.models import Agreement
from kokemustori.audit.models import Action, AuditEvent
from kokemustori.experts import registry
from kokemustori.experts.models import Expert, ExpertStatus
from kokemustori.fees import services as fee_services
from kokemustori.fees.models import FeeRecord
from kokemustori.followup import services as followup
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.notifications.models import ReminderKind, ReminderSent
from kokemustori.notifications.tasks import send_email
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orders import workflow
from kokemustori.orders.models import Order, OrderState
from kokemustori.outbox.models import OutboundEmail
from kokemustori.privacy import erasure
from kokemustori.privacy.forms import confirmation_word
from tests.agreements.test_agreements import make_agreement
from tests.factories import (
    PASSWORD,
    AreaFactory,
    CoordinatorFactory,
    ExpertFactory,
    ExpertKind,
    KindApplicationFactory,
    OrdererFactory,
    TopicFactory,
    TrainingFactory,
    UserFactory,
)
from tests.factories.fees import accepted_agreement
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db

User = get_user_model()
TICKED = re.compile(r'<input[^>]*name="understood"[^>]*checked')
KEPT_BY_LAW = {"agreements.Agreement", "fees.FeeRecord"}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


# A person whose every personal text is a marker -----------------------------------------------


@dataclass
class Markers:
    prefix: str
    number: str

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return f"{self.prefix}{name.replace('_', '').capitalize()}"

    @property
    def email(self):
        return f"{self.prefix.lower()}mail@example.org"

    @property
    def phone(self):
        return f"040 {self.number} 7{self.number}"

    def all(self) -> dict[str, str]:
        names = [
            "first",
            "last",
            "pseudonym",
            "municipality",
            "bio",
            "story",
            "organiser",
            "training_note",
            "kind_reason",
            "offer_message",
            "feelings",
            "evaluation",
            "feedback_about",
            "feedback_by",
            "expenses",
            "cancel_reason",
            "orderer_title",
        ]
        return {"email": self.email, "phone": self.phone, **{n: getattr(self, n) for n in names}}


A = Markers("Qzv", "1111")
B = Markers("Xkw", "2222")


def marked_expert(markers, coordinator, kinds=(ExpertKind.TRAINED_EXPERT,), **kwargs):
    user = UserFactory(
        email=markers.email, first_name=markers.first, last_name=markers.last, language="en"
    )
    expert = ExpertFactory(
        user=user,
        organisation=coordinator.organisation,
        kinds=list(kinds),
        uses_pseudonym=True,
        pseudonym=markers.pseudonym,
        phone=markers.phone,
        municipality=markers.municipality,
        bio=f"{markers.bio} I speak about recovery.",
        experience_story=f"{markers.story}: my diagnosis and hospital stays.",
        monthly_earnings_limit=Decimal("800.00"),
        **kwargs,
    )
    expert.areas_own.add(AreaFactory())
    expert.topics.add(TopicFactory())
    expert.topics_not_now.add(TopicFactory())
    training = TrainingFactory(expert=expert, organiser=markers.organiser)
    registry.verify_training(coordinator.user, training, markers.training_note)
    application = KindApplicationFactory(expert=expert, kind=ExpertKind.EXPERIENCE_PARTNER)
    registry.refuse_kind(coordinator.user, application, markers.kind_reason)
    return expert


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


@dataclass
class World:
    coordinator: object
    expert: Expert
    other: Expert
    done_order: Order
    agreement: Agreement
    cancelled_agreement: Agreement
    open_order: Order


def ordering_path(run_on_commit) -> World:
    """Experts A and B through the real services; e-mails are queued as database tasks."""
    coordinator = CoordinatorFactory()
    expert = marked_expert(A, coordinator)
    other = marked_expert(B, coordinator)

    with run_on_commit():
        # Both take part in one assignment: agreed, done, debriefed, feedback both ways.
        order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator, experts_needed=2)
        offers = [
            offer_services.send_offers(
                order, [person], actor=coordinator.user, message=f"Hello! {markers.offer_message}"
            )[0]
            for person, markers in ((expert, A), (other, B))
        ]
        agreements = {}
        for person, offer in zip((expert, other), offers, strict=True):
            agreement = offer_services.accept(person.user, offer.pk, FeeType.WORK_COMPENSATION)
            agreement_services.accept(order.orderer.user, agreement)
            agreement_services.accept(person.user, agreement)
            agreements[person.pk] = agreement
        for person, markers in ((expert, A), (other, B)):
            fee_services.set_expenses(
                person.user, agreements[person.pk].fee_record, "12.50", markers.expenses
            )
        followup.record_planning_meeting(
            order.orderer.user,
            order,
            an_hour_ago(),
            f"{A.pseudonym} opens the day, {B.pseudonym} closes it.",
        )
        workflow.transition(order, "complete", actor=coordinator.user)
        now = timezone.now()
        Order.objects.filter(pk=order.pk).update(
            starts_at=now - timedelta(hours=5), debrief_at=now - timedelta(hours=2)
        )
        order.refresh_from_db()
        for person, markers in ((expert, A), (other, B)):
            followup.record_debrief(
                person.user,
                order,
                person,
                an_hour_ago(),
                "Coordinator Kaisa",
                feelings=f"{markers.feelings}: I was shaking afterwards",
                evaluation=f"{markers.evaluation}; {A.pseudonym} and {B.pseudonym} worked well",
                wants_support=True,
            )
            followup.give_feedback(
                order.orderer.user,
                order,
                person,
                Feedback.ORDERER_ON_ASSIGNMENT,
                overall=5,
                comment=markers.feedback_about,
            )
            followup.give_feedback(
                person.user,
                order,
                person,
                Feedback.EXPERT_ON_ORDERER,
                expectations_clear=4,
                time_respected=5,
                treated_as_equal=5,
                comment=markers.feedback_by,
            )
        order.refresh_from_db()
        assert order.state == OrderState.DEBRIEFED

        # A accepts another assignment, then cancels it for a reason of health.
        second, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
        offer = offer_to(second, expert, coordinator)
        cancelled = offer_services.accept(expert.user, offer.pk, FeeType.WAGE)
        agreement_services.cancel(expert.user, cancelled, f"{A.cancel_reason}: in hospital")

        # A declines one offer, and has one still open when the data is erased.
        declined, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
        offer_services.decline(expert.user, offer_to(declined, expert, coordinator).pk)
        open_order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
        offer_to(open_order, expert, coordinator)

    for person in (expert, other):
        # The account's own traces: a login e-mail address, a second factor, a reminder.
        EmailAddress.objects.create(
            user=person.user, email=person.user.email, primary=True, verified=True
        )
        Authenticator.objects.create(
            user=person.user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
        )
        ReminderSent.objects.create(order=order, user=person.user, kind=ReminderKind.DEBRIEF)
        # A half-finished login by code keeps the address in the session.
        session = SessionStore()
        session["account_login"] = {"user_pk": str(person.user.pk), "email": person.user.email}
        session.create()
        # An e-mail that failed: the error text names the address.
        failed = send_email.enqueue(person.user.pk, "order_accepted", {"order_id": order.pk})
        task_model = apps.get_model("django_tasks_database", "DBTaskResult")
        task_model.objects.filter(id=failed.id).update(
            status="FAILED",
            traceback=f"SMTPRecipientsRefused: {{'{person.user.email}': (550, 'no')}}",
        )
        # An administrator corrected the account in the admin once.
        LogEntry.objects.create(
            user=UserFactory(is_staff=True),
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(person.user.pk),
            object_repr=str(person.user),
            action_flag=CHANGE,
            change_message="[]",
        )
    return World(
        coordinator,
        expert,
        other,
        order,
        agreements[expert.pk],
        cancelled,
        open_order,
    )


def where(markers: dict[str, str]) -> dict[str, set[str]]:
    """For each marker, the models (app_label.Model) holding a row that mentions it. Reads
    every row of every table, decoding the sessions."""
    wanted = {name: text.lower() for name, text in markers.items()}
    found = defaultdict(set)
    for model in apps.get_models(include_auto_created=True):
        for row in model._base_manager.all().values():
            text = json.dumps(row, default=str, ensure_ascii=False)
            if model is Session:
                text += json.dumps(SessionStore().decode(row["session_data"]), default=str)
            text = text.lower()
            for name, marker in wanted.items():
                if marker in text:
                    found[name].add(model._meta.label)
    return found


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(settings, run_on_commit):
    settings.TASKS = DB_TASKS
    return ordering_path(run_on_commit)


def erase_as_self(client, user):
    client.force_login(user)
    response = client.post(reverse("privacy:erase_me"), {"password": PASSWORD, "understood": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("privacy:erased")
    return response


# Erasure proves itself --------------------------------------------------------------------------


def test_erasure_leaves_the_person_only_in_agreements_and_fee_records(client, world):
    before = where(A.all())
    # The path left the traces the scan must see: it reads every kind of table.
    assert {
        "experts.Expert",
        "orders.OrderEvent",
        "orders.Order",
        "agreements.Agreement",
    } <= before["pseudonym"]
    assert "offers.Offer" in before["offer_message"]
    assert "followup.Debrief" in before["feelings"]
    assert "followup.Feedback" in before["feedback_about"]
    assert "experts.TrainingRecord" in before["organiser"]
    assert "experts.KindApplication" in before["kind_reason"]
    assert "orders.OrderEvent" in before["cancel_reason"]
    assert {
        "accounts.User",
        "account.EmailAddress",
        "sessions.Session",
        "django_tasks_database.DBTaskResult",
        "outbox.OutboundEmail",
    } <= before["email"]
    # E-mails to other people (the coordinator, the orderer) named the expert.
    assert "outbox.OutboundEmail" in before["pseudonym"]
    assert "admin.LogEntry" in before["first"]
    expert_pk, user_pk = world.expert.pk, world.expert.user_id
    assert Session.objects.count() >= 2
    tasks = apps.get_model("django_tasks_database", "DBTaskResult").objects

    def tasks_to(user_id):
        return tasks.filter(task_path__endswith=".send_email", args_kwargs__args__0=user_id)

    def emails_to(user_id):
        return OutboundEmail.objects.filter(user_id=user_id)

    assert tasks_to(user_pk).count() == 1  # the failed one from before the outbox
    assert emails_to(user_pk).count() >= 2  # offers, agreements
    others_emails = emails_to(world.other.user_id).count()

    erase_as_self(client, world.expert.user)

    after = where(A.all())
    for name, models in after.items():
        assert models <= KEPT_BY_LAW, f"{name} is still in {sorted(models - KEPT_BY_LAW)}"
    # The agreement and the fee record are kept as written.
    assert after["first"] == {"agreements.Agreement"}
    assert after["expenses"] == {"fees.FeeRecord"}
    # Nobody else lost anything.
    others = where(B.all())
    for name in set(B.all()) - {"cancel_reason", "orderer_title"}:
        assert others[name], f"B's {name} was removed"
    assert Debrief.objects.filter(expert=world.other, feelings__startswith=B.feelings).exists()

    # The placeholder rows that the kept records point to.
    expert = Expert.objects.get(pk=expert_pk)
    user = User.objects.get(pk=user_pk)
    assert expert.status == ExpertStatus.INACTIVE
    assert expert.display_name == f"Experience expert {expert.pk}"
    assert not expert.areas_own.exists() and not expert.topics_not_now.exists()
    assert expert.monthly_earnings_limit is None
    assert not user.is_active and not user.has_usable_password()
    assert user.email.endswith("@erased.invalid") and not user.get_full_name()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not ReminderSent.objects.filter(user=user).exists()
    assert Agreement.objects.filter(expert=expert).count() == 2
    assert FeeRecord.objects.filter(expert=expert).count() == 1
    assert not Offer.objects.filter(expert=expert, agreement__isnull=True).exists()
    assert not Debrief.objects.filter(expert=expert).exists()
    assert not Feedback.objects.filter(expert=expert).exists()
    # Only the other person's session and nobody's of the erased person remain.
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user_pk)
    ]
    # E-mail tasks and e-mails addressed to the person are gone; other people's stay.
    assert not tasks_to(user_pk).exists()
    assert not emails_to(user_pk).exists()
    assert not OutboundEmail.objects.filter(to_email__iexact=A.email).exists()
    assert emails_to(world.other.user_id).count() == others_emails
    # The open offer was declined first: the order went back to matching.
    world.open_order.refresh_from_db()
    assert world.open_order.state == OrderState.MATCHING
    # The erasure is in the audit log, with counts and no names.
    event = AuditEvent.objects.get(action=Action.ERASED)
    assert event.expert_id == expert.pk and event.actor_id == user_pk
    assert f"user {user_pk}" in event.detail and "debriefs 1" in event.detail
    assert not any(m.lower() in event.detail.lower() for m in A.all().values())


def test_after_erasure_login_fails_and_the_address_can_register_again(client, world):
    erase_as_self(client, world.expert.user)
    assert not client.login(email=A.email, password=PASSWORD)
    response = client.post(reverse("account_login"), {"login": A.email, "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session

    response = client.post(
        reverse("account_signup"),
        {
            "email": A.email,
            "password1": "a-new-long-password-9",
            "password2": "a-new-long-password-9",
            "first_name": "New",
            "last_name": "Person",
            "language": "en",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    newcomer = User.objects.get(email=A.email)
    assert newcomer.pk != world.expert.user_id
    assert not Expert.objects.filter(user=newcomer).exists()


def test_kept_agreement_pdf_fee_list_and_csv_still_work(client, world):
    erase_as_self(client, world.expert.user)
    client.force_login(world.coordinator.user)
    agreement = world.agreement

    pdf = client.get(reverse("agreements:pdf", args=[agreement.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("agreements:detail", args=[agreement.pk])).status_code == 200
    assert client.get(reverse("agreements:ics", args=[agreement.pk])).status_code == 200
    fees = client.get(reverse("fees:list"))
    assert fees.status_code == 200
    assert f"{A.first} {A.last}" in fees.content.decode()
    csv = client.get(reverse("fees:export")).content.decode("utf-8")
    assert f"{A.first} {A.last}" in csv  # the legal name, from the agreement
    order = client.get(reverse("orders:detail", args=[world.done_order.pk]))
    assert order.status_code == 200
    # The timeline no longer names the expert; the kept agreement is listed by its own name.
    body = order.content.decode()
    assert body.count(A.pseudonym) == 1
    agreement_link = f'<a href="{reverse("agreements:detail", args=[agreement.pk])}">'
    assert f"{agreement_link}{A.pseudonym}</a>" in body
    # The expert's page in the coordinators' list does not break.
    response = client.get(reverse("experts:review_detail", args=[world.expert.pk]))
    assert response.status_code == 200


def test_a_coordinator_erases_an_expert_on_request(client, world):
    client.force_login(world.coordinator.user)
    url = reverse("privacy:erase_expert", args=[world.expert.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "accounting" in page.content.decode()

    response = client.post(url, {"email": "someone@example.org", "understood": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "not the person&#x27;s e-mail address" in body or "not the person's" in body
    assert 'value="someone@example.org"' in body  # what was typed stays
    assert TICKED.search(body)
    assert User.objects.get(pk=world.expert.user_id).email == A.email

    response = client.post(url, {"email": A.email.upper(), "understood": "on"})
    assert response.status_code == 302
    after = where(A.all())
    for models in after.values():
        assert models <= KEPT_BY_LAW
    event = AuditEvent.objects.get(action=Action.ERASED)
    assert event.actor == world.coordinator.user

    # Once erased, the page says so and does nothing more.
    again = client.post(url, {"email": "x", "understood": "on"})
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action=Action.ERASED).count() == 1


# Erasure without anything to keep, and for an orderer ------------------------------------------


def test_an_applicant_with_nothing_to_keep_is_deleted_entirely(client):
    coordinator = CoordinatorFactory()
    expert = marked_expert(A, coordinator, kinds=(), status=ExpertStatus.DRAFT)
    registry.submit_application(expert, [ExpertKind.DEVELOPER_CLIENT])
    user_pk, expert_pk = expert.user_id, expert.pk
    events = AuditEvent.objects.filter(expert=expert).count()
    assert events >= 3

    erase_as_self(client, expert.user)

    assert not User.objects.filter(pk=user_pk).exists()
    assert not Expert.objects.filter(pk=expert_pk).exists()
    assert where(A.all()) == {}
    # The audit log keeps its events; they no longer point to anyone.
    assert AuditEvent.objects.filter(expert__isnull=True).count() >= events
    erased = AuditEvent.objects.get(action=Action.ERASED)
    assert erased.organisation == coordinator.organisation
    assert "expert" in erased.detail and "deleted" in erased.detail


def test_an_orderer_is_erased_with_their_orders_contact_details(client, run_on_commit):
    orderer = OrdererFactory(
        user__email=A.email,
        user__first_name=A.first,
        user__last_name=A.last,
        title=A.orderer_title,
        phone=A.phone,
        billing_details=f"Invoices to {A.first} {A.last}",
    )
    contact = {
        "contact_name": f"{A.first} {A.last}",
        "contact_email": A.email,
        "contact_phone": A.phone,
        "debrief_by": f"Teacher {A.first} {A.last}",
    }
    with run_on_commit():
        # An agreement that the orderer then cancelled: the order is cancelled with it.
        order, coordinator = order_in_state(OrderState.MATCHING, orderer=orderer, **contact)
        expert = ExpertFactory(
            organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT]
        )
        agreement = offer_services.accept(
            expert.user, offer_to(order, expert, coordinator).pk, FeeType.WAGE
        )
        agreement_services.cancel(orderer.user, agreement, f"Cancelled by {A.first}")
        draft, _ = order_in_state(OrderState.DRAFT, orderer=orderer, **contact)
    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED

    erase_as_self(client, orderer.user)

    after = where(A.all())
    for name, models in after.items():
        assert models <= {"agreements.Agreement"}, f"{name} is still in {models}"
    assert "agreements.Agreement" in after["first"]  # the agreement's orderer contact
    assert not Order.objects.filter(pk=draft.pk).exists()
    order.refresh_from_db()
    assert (order.contact_name, order.contact_email, order.contact_phone) == ("", "", "")
    assert order.debrief_by == "Teacher ***"
    orderer.refresh_from_db()
    assert orderer.organisation_name and not orderer.is_active and not orderer.phone
    client.force_login(coordinator.user)
    assert client.get(reverse("agreements:pdf", args=[agreement.pk])).status_code == 200


# What stops an erasure --------------------------------------------------------------------------


def test_an_assignment_still_ahead_stops_the_erasure_until_cancelled(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    agreement = offer_services.accept(
        expert.user, offer_to(order, expert, coordinator).pk, FeeType.WAGE
    )
    client.force_login(expert.user)
    url = reverse("privacy:erase_me")
    page = client.get(url).content.decode()
    assert "has not yet taken place" in page
    assert 'name="password"' not in page

    response = client.post(url, {"password": PASSWORD, "understood": "on"})
    assert response.status_code == 409
    assert User.objects.get(pk=expert.user_id).is_active

    agreement_services.cancel(expert.user, agreement, "I cannot come.")
    erase_as_self(client, expert.user)


def test_a_coordinator_post_and_an_orderer_role_stop_an_erasure(client, coordinator):
    expert = ExpertFactory(user=coordinator.user, organisation=coordinator.organisation)
    assert "coordinator post" in " ".join(erasure.blockers(coordinator.user))
    client.force_login(coordinator.user)
    response = client.post(reverse("privacy:erase_me"), {"password": PASSWORD, "understood": "on"})
    assert response.status_code == 409
    assert Expert.objects.filter(pk=expert.pk).exists()

    # A person who is both an expert and an orderer erases themselves; a coordinator may not.
    both = ExpertFactory(organisation=coordinator.organisation)
    OrdererFactory(user=both.user)
    other_coordinator = CoordinatorFactory(organisation=coordinator.organisation)
    client.force_login(other_coordinator.user)
    url = reverse("privacy:erase_expert", args=[both.pk])
    assert "also orders experts" in client.get(url).content.decode()
    response = client.post(url, {"email": both.user.email, "understood": "on"})
    assert response.status_code == 409
    assert Expert.objects.filter(pk=both.pk).exists()


def test_the_confirmation_keeps_what_was_typed_and_refuses_a_wrong_password(client):
    expert = ExpertFactory()
    client.force_login(expert.user)
    url = reverse("privacy:erase_me")

    response = client.post(url, {"password": "wrong", "understood": "on"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "The password is not correct." in body
    assert TICKED.search(body)  # the ticked box stays ticked
    response = client.post(url, {"password": PASSWORD})
    assert "Tick this box to confirm." in response.content.decode()
    for junk in ({}, {"password": "x" * 10000, "understood": "maybe"}, {"understood": ["a", "b"]}):
        assert client.post(url, junk).status_code == 200
    assert User.objects.get(pk=expert.user_id).is_active


def test_without_a_password_the_confirmation_word_is_asked(client):
    expert = ExpertFactory()
    expert.user.set_unusable_password()
    expert.user.save()
    client.force_login(expert.user)
    url = reverse("privacy:erase_me")
    assert 'name="confirm_word"' in client.get(url).content.decode()
    response = client.post(url, {"confirm_word": "delete", "understood": "on"})
    assert response.status_code == 200 and 'value="delete"' in response.content.decode()
    response = client.post(url, {"confirm_word": confirmation_word().lower(), "understood": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=expert.user_id).exists()


# Who may export and erase -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["privacy:expert_data", "privacy:expert_data_download", "privacy:erase_expert"]
)
def test_only_the_experts_own_coordinators_may_export_or_erase(client, name):
    coordinator = CoordinatorFactory()
    expert = ExpertFactory(organisation=coordinator.organisation)
    url = reverse(name, args=[expert.pk])
    outsiders = [
        CoordinatorFactory().user,  # another organisation's
        OrdererFactory().user,
        ExpertFactory(organisation=coordinator.organisation).user,  # a colleague
        expert.user,  # the expert uses their own pages
        UserFactory(is_staff=True, is_superuser=True),  # no bypass for administrators
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(url).status_code == 404, user
        assert client.post(url, {"email": expert.user.email, "understood": "on"}).status_code in (
            404,
            405,
        )
    assert Expert.objects.get(pk=expert.pk).user.is_active

    client.force_login(coordinator.user)
    assert client.get(url).status_code == 200
    assert client.get(reverse(name, args=[expert.pk + 1000])).status_code == 404

    draft = ExpertFactory(organisation=coordinator.organisation, status=ExpertStatus.DRAFT)
    assert client.get(reverse(name, args=[draft.pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["privacy:my_data", "privacy:my_data_download", "privacy:erase_me"]
)
def test_own_data_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_erased_page_is_public(client):
    assert client.get(reverse("privacy:erased")).status_code == 200


# Export -----------------------------------------------------------------------------------------


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    return response.content.decode("utf-8")


def test_the_json_file_holds_every_marker_and_nothing_of_other_people(client, world):
    client.force_login(world.expert.user)
    text = download(client, reverse("privacy:my_data_download"))
    data = json.loads(text)
    for name, marker in A.all().items():
        if name == "orderer_title":
            continue
        assert marker.lower() in text.lower(), f"{name} is missing from the export"
    # The offer's message and the planning notes name both experts: B appears only there,
    # where A's own records mention B. B's own data (profile, debrief, feedback) is absent.
    for name in (
        "first",
        "last",
        "email",
        "phone",
        "story",
        "feelings",
        "feedback_about",
        "expenses",
    ):
        assert B.all()[name].lower() not in text.lower(), f"B's {name} leaked"
    assert data["format"] == "kokemustori-personal-data"
    assert data["account"]["email"] == A.email
    assert data["expert_profile"]["pseudonym"] == A.pseudonym
    assert len(data["agreements"]) == 2 and len(data["fee_records"]) == 1
    assert len(data["debriefs"]) == 1 and len(data["feedback"]) == 2
    assert {t["organiser"] for t in data["trainings"]} == {A.organiser}
    assert any(e["action"] == Action.KIND_REFUSED for e in data["audit_events"])
    roles = {
        "you",
        "the system",
        "an orderer",
        f"a coordinator of {world.coordinator.organisation}",
    }
    assert {e["who"] for e in data["audit_events"]} <= roles
    event = AuditEvent.objects.get(action=Action.PERSONAL_DATA_EXPORTED)
    assert event.actor == world.expert.user and event.expert == world.expert
    assert event.detail.startswith(f"json of user {world.expert.user_id}")
    assert not any(m.lower() in event.detail.lower() for m in A.all().values())


def test_the_summary_page_groups_the_data_under_headings(client, world):
    client.force_login(world.expert.user)
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 200
    body = response.content.decode()
    for heading in (
        "Account",
        "Expert profile",
        "Training",
        "Kinds of expert applied for, and decisions",
        "Offers",
        "Agreements",
        "Fees",
        "Debriefs",
        "Feedback by you and about you",
        "Audit log: who handled your data",
    ):
        assert f">{heading}</h2>" in body, heading
    assert A.feelings in body and B.feelings not in body
    assert "<script>" not in body and "style=" not in body  # CSP
    assert AuditEvent.objects.filter(
        action=Action.PERSONAL_DATA_EXPORTED, detail__startswith="summary"
    ).exists()


def test_a_coordinator_produces_an_experts_data(client, world):
    client.force_login(world.coordinator.user)
    text = download(client, reverse("privacy:expert_data_download", args=[world.expert.pk]))
    assert A.feelings in text and B.feelings not in text
    page = client.get(reverse("privacy:expert_data", args=[world.expert.pk]))
    assert page.status_code == 200 and A.story in page.content.decode()
    events = AuditEvent.objects.filter(action=Action.PERSONAL_DATA_EXPORTED)
    assert events.count() == 2
    assert {e.actor for e in events} == {world.coordinator.user}
    assert {e.expert for e in events} == {world.expert}


def test_an_orderer_downloads_their_orders(client):
    orderer = OrdererFactory(phone=A.phone, billing_details=A.bio)
    order, _ = order_in_state(
        OrderState.DECLINED, orderer=orderer, contact_name=A.first, planning_notes=A.story
    )
    client.force_login(orderer.user)
    data = json.loads(download(client, reverse("privacy:my_data_download")))
    assert data["orderer_profile"]["phone"] == A.phone
    assert data["orders"][0]["contact_name"] == A.first
    assert data["orders"][0]["state"] == OrderState.DECLINED
    assert [s["step"] for s in data["order_steps"]] == ["submit"]
    assert "expert_profile" not in data
    event = AuditEvent.objects.get(action=Action.PERSONAL_DATA_EXPORTED)
    assert event.expert is None and event.actor == orderer.user


def test_the_pages_link_to_the_data_pages(client):
    expert = ExpertFactory()
    client.force_login(expert.user)
    for page in ("experts:me", "accounts_settings"):
        body = client.get(reverse(page)).content.decode()
        assert reverse("privacy:my_data") in body and reverse("privacy:erase_me") in body
    coordinator = CoordinatorFactory(organisation=expert.organisation)
    client.force_login(coordinator.user)
    body = client.get(reverse("experts:review_detail", args=[expert.pk])).content.decode()
    assert reverse("privacy:expert_data", args=[expert.pk]) in body


def test_summary_pages_render_in_finnish_and_swedish(client, world):
    from django.utils import translation

    client.force_login(world.expert.user)
    for language in ("fi", "sv"):
        with translation.override(language):
            url = reverse("privacy:my_data")
        assert url.startswith(f"/{language}/")
        assert client.get(url).status_code == 200
        with translation.override(language):
            assert client.get(reverse("privacy:erase_me")).status_code == 200


def test_offers_of_the_erased_expert_are_gone_from_matching_history(world):
    erasure.erase(world.expert.user, actor=world.expert.user)
    states = set(Offer.objects.filter(order=world.open_order).values_list("state", flat=True))
    assert OfferState.OPEN not in states


def test_an_anonymised_expert_keeps_none_of_their_own_settings():
    """An expert with an agreement stays as a row (the agreement needs it), emptied of every
    choice they made about themselves: limits, break, what their profile shows."""
    agreement, coordinator = accepted_agreement()
    # The assignment has taken place and been debriefed: nothing stops the erasure.
    Order.objects.filter(pk=agreement.order_id).update(
        state=OrderState.CLOSED, starts_at=timezone.now() - timedelta(days=30)
    )
    expert = agreement.expert
    for name, value in {
        "workload_limit": 3,
        "monthly_earnings_limit": Decimal("725.00"),
        "on_break": True,
        "break_started_at": timezone.now(),
        "works_remotely": True,
        "first_name_public": True,
        "show_areas": True,
        "show_topics": True,
        "show_story": True,
        "phone": "+358 40 555 0101",
        "municipality": "Vaasa",
        "bio": "Bio to be erased",
        "experience_story": "Story to be erased",
    }.items():
        setattr(expert, name, value)
    expert.save()

    erasure.erase(expert.user, actor=coordinator.user, expert_only=True)

    expert.refresh_from_db()
    assert expert.workload_limit is None
    assert expert.monthly_earnings_limit is None
    assert expert.on_break is False
    assert expert.break_started_at is None
    assert expert.works_remotely is False
    assert not (expert.first_name_public or expert.show_areas or expert.show_topics)
    assert not expert.show_story
    assert (expert.phone, expert.municipality, expert.bio, expert.experience_story) == (
        "",
        "",
        "",
        "",
    )


def test_erasure_takes_the_name_off_a_withdrawal_without_a_reason():
    agreement, order, _coordinator, expert = make_agreement()
    agreement_services.cancel(expert.user, agreement, "")
    note = order.events.get(action=agreement_services.WITHDRAWN)
    assert note.reason == f"Kesätuuli (#{agreement.pk})"
    erasure.erase(expert.user, actor=expert.user)
    note.refresh_from_db()
    assert note.reason == f"*** (#{agreement.pk})"
