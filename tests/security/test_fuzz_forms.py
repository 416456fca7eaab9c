"""Bad input to every form: hypothesis posts random and hostile data to each view that takes a
POST (and to the GET filter forms) and checks that

* the answer is never a 5xx, and no exception escapes the view;
* hostile markup never comes back unescaped, neither in the re-rendered form nor, after a valid
  submission, on the pages that show what was stored;
* a refused submission (the form re-rendered, a 4xx, or a redirect with an error message)
  saved nothing: model counts and the watched objects' fields are as they were;
* a re-rendered form shows an error and keeps what the user typed.

`FORMS` below is the coverage table: one row per form. `test_every_view_is_in_a_table` fails
when a URL of the project (or allauth's account URLs) is in none of the tables, so a new form
cannot be added without being fuzzed or listed as not fuzzed with a reason.

Each example runs in a savepoint that is rolled back, with a fresh logged-in client, so the
objects a row needs are made once per test and every example starts from them unchanged.
"""

import html
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from inspect import unwrap
from urllib.parse import quote, urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import event, given
from hypothesis import strategies as st

from kokemustori.audit.models import Action, AuditEvent
from kokemustori.commitments import services as commitment_services
from kokemustori.experts.models import ExpertStatus
from kokemustori.fees import services as fee_services
from kokemustori.fees.models import FeeStatus
from kokemustori.followup import services as followup_services
from kokemustori.kinds import ExpertKind, TrainingType
from kokemustori.notifications.models import NOTICE_KINDS, Delivery, Notice
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType
from kokemustori.opencalls import services as opencall_services
from kokemustori.orderers.models import Verification
from kokemustori.orders import workflow
from kokemustori.orders.models import AccessArrangement, FeeChoice, Order, OrderState
from kokemustori.orders.steps import STEPS
from kokemustori.requirements.models import LanguageLevel, Qualification, QualificationKind
from kokemustori.series import services as series_services
from kokemustori.series.models import Meeting, SeriesFee
from kokemustori.tasktypes.eligibility import Audience
from kokemustori.tasktypes.models import FeeBasis, FeeSchedule, TaskType
from tests.factories import (
    PASSWORD,
    AreaFactory,
    CoordinatorFactory,
    ExpertFactory,
    KindApplicationFactory,
    LanguageFactory,
    OrdererFactory,
    OrganisationFactory,
    RegionFactory,
    TopicFactory,
    TrainingFactory,
    UserFactory,
)
from tests.factories.fees import accepted_agreement
from tests.factories.orders import OrderFactory, offer_to, order_in_state
from tests.security.fuzz_strategies import (
    WRONG_TYPES,
    Fixtures,
    assert_escaped,
    assert_no_server_error,
    assert_unchanged,
    body_text,
    client_for,
    counts,
    date_text,
    escaped,
    extra_fields,
    form_value,
    fuzz_settings,
    has_error_message,
    hostile_text,
    made_once,
    number_text,
    post_form,
    request_messages,
    rolled_back,
    snapshot,
    valid_text,
)

pytestmark = pytest.mark.django_db

MISSING = object()  # the field is not sent at all


# Fields ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """What a valid value of one field looks like, and the near misses for its type; any other
    hostile value is drawn too."""

    valid: st.SearchStrategy
    near: st.SearchStrategy = field(default_factory=hostile_text)
    typed: bool = True  # a value the user types, which a re-rendered form must keep


def text(max_length=200, required=False):
    return Field(valid_text(max_length, required))


def integer(lo, hi, required=False):
    values = st.integers(lo, hi).map(str)
    return Field(values if required else st.one_of(st.just(""), values), number_text())


def decimal(lo, hi, places=2):
    values = st.decimals(Decimal(lo), Decimal(hi), places=places, allow_nan=False).map(str)
    return Field(values, number_text())


def duration():
    """A time asked, typed as the order form reads it (orders.durations)."""
    h, m = st.integers(0, 48), st.integers(0, 59)
    values = st.one_of(
        st.just(""),
        st.integers(0, 600).map(str),
        st.tuples(h, m).map(lambda t: f"{t[0]} h {t[1]} min"),
        st.tuples(h, m).map(lambda t: f"{t[0]}:{t[1]:02d}"),
        st.integers(0, 600).map(lambda n: f"{n} min"),
    )
    return Field(values, number_text())


def a_date(lo=date(2000, 1, 1), hi=date(2030, 12, 31)):
    return Field(st.dates(lo, hi).map(lambda d: d.isoformat()), date_text())


def moment(lo: timedelta, hi: timedelta, required=True):
    """A local date and time between now+lo and now+hi, as the datetime-local input sends it."""

    def fmt(offset):
        return timezone.localtime(timezone.now() + offset).strftime("%Y-%m-%dT%H:%M")

    values = st.timedeltas(lo, hi).map(fmt)
    return Field(values if required else st.one_of(st.just(""), values), date_text())


def meeting_lines():
    """Meetings of a series, one a line, as the set-up form reads them."""

    def fmt(offset):
        return timezone.localtime(timezone.now() + offset).strftime("%d.%m.%Y %H:%M")

    values = st.lists(st.timedeltas(timedelta(days=1), timedelta(days=900)).map(fmt), max_size=8)
    return Field(values.map("\n".join), date_text())


def flag():
    return Field(st.sampled_from(("on", MISSING)), typed=False)


def choice(*values):
    return Field(st.sampled_from([str(v) for v in values]), st.sampled_from(WRONG_TYPES), False)


def multi(*values, required=False):
    return Field(
        st.lists(
            st.sampled_from([str(v) for v in values]),
            unique=True,
            min_size=int(required),
            max_size=len(values),
        ),
        st.lists(st.sampled_from(WRONG_TYPES), min_size=1, max_size=3),
        typed=False,
    )


def email(*known):
    return Field(
        st.sampled_from((*known, "person@example.org", "o'brien+<b>@example.org")),
        st.one_of(st.emails(), hostile_text()),
    )


def secret():
    return Field(st.sampled_from((PASSWORD, "another-long-password-2026")), typed=False)


MODES = ("valid", "valid", "one bad", "one bad", "one bad", "hostile", "empty")


def draw_values(data, fields: dict, mode: str) -> dict:
    """valid: every field valid (text often hostile markup that must come out escaped);
    one bad: one or two fields hostile or missing, the rest valid, to get past the other
    fields' checks; hostile: each field valid, missing or hostile; empty: nothing."""
    if mode == "empty" or not fields:
        return {}
    bad = set()
    if mode == "one bad":
        bad = data.draw(
            st.sets(st.sampled_from(sorted(fields)), min_size=1, max_size=2), label="bad"
        )
    values = {}
    for name, spec in fields.items():
        hostile = st.one_of(st.just(MISSING), spec.near, form_value())
        if mode == "valid" or (mode == "one bad" and name not in bad):
            strategy = spec.valid
        elif mode == "one bad":
            strategy = hostile
        else:
            strategy = st.one_of(spec.valid, hostile)
        value = data.draw(strategy, label=name)
        if value is not MISSING:
            values[name] = value
    return values


# The objects the rows work on ----------------------------------------------------------------


def local_input(moment_):
    return timezone.localtime(moment_).strftime("%Y-%m-%dT%H:%M")


class World(Fixtures):
    """Objects made on first use, once per test; every example sees them as made."""

    @made_once
    def organisation(self):
        return OrganisationFactory(accepts_applications=True)

    @made_once
    def coordinator(self):
        return CoordinatorFactory(organisation=self.organisation)

    @made_once
    def vocabulary(self):
        area = AreaFactory()
        return {
            "area": area,
            "topic": TopicFactory(area=area),
            "language": LanguageFactory(slug="fi", name="Finnish", name_fi="suomi"),
            "region": RegionFactory(),
            "task_type": TaskType.objects.get(slug="lecture"),
        }

    @made_once
    def orderer(self):
        return OrdererFactory()

    @made_once
    def pending_orderer(self):
        """Registered, waiting for a coordinator's verification."""
        return OrdererFactory(verification=Verification.PENDING)

    @made_once
    def newcomer(self):
        """A logged-in user with no role yet."""
        return UserFactory()

    @made_once
    def verified_user(self):
        """A user whose e-mail address is verified, so codes can be sent to it."""
        user = UserFactory()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    @made_once
    def expert(self):
        return ExpertFactory(organisation=self.organisation, kinds=[ExpertKind.TRAINED_EXPERT])

    @made_once
    def applicant(self):
        """A sent application: a pending training and a kind waiting for a decision."""
        application = KindApplicationFactory(
            expert__organisation=self.organisation, kind=ExpertKind.DEVELOPER_CLIENT
        )
        expert = application.expert
        training = TrainingFactory(expert=expert)
        KindApplicationFactory(expert=expert, kind=ExpertKind.TRAINED_EXPERT)
        return {"expert": expert, "application": application, "training": training}

    @made_once
    def draft_order(self):
        return OrderFactory(orderer=self.orderer, organisation=self.organisation)

    @made_once
    def submitted_order(self):
        return order_in_state(
            OrderState.SUBMITTED, coordinator=self.coordinator, orderer=self.orderer
        )[0]

    @made_once
    def matching_order(self):
        order = order_in_state(
            OrderState.MATCHING, coordinator=self.coordinator, orderer=self.orderer
        )[0]
        self.expert  # an eligible expert of the coordinator's organisation  # noqa: B018
        return order

    @made_once
    def confidentiality_text(self):
        return commitment_services.publish_text(
            self.coordinator.user, self.organisation, "Keep what you hear to yourself."
        )

    @made_once
    def expert_modules(self):
        """Two verified modules of one organiser for the expert."""
        return [
            TrainingFactory(
                expert=self.expert,
                organiser="Module school",
                hours=Decimal("30"),
                start_date=start,
                end_date=end,
                status="verified",
            )
            for start, end in (
                (date(2025, 1, 10), date(2025, 3, 1)),
                (date(2025, 3, 5), date(2025, 6, 1)),
            )
        ]

    @made_once
    def plannable_order(self):
        """An order in matching that is not a series yet."""
        return order_in_state(
            OrderState.MATCHING, coordinator=self.coordinator, orderer=self.orderer
        )[0]

    @made_once
    def series(self):
        """A series of three meetings, agreed with the expert; the first has been held."""
        order = order_in_state(
            OrderState.MATCHING, coordinator=self.coordinator, orderer=self.orderer
        )[0]
        now = timezone.now()
        series = series_services.set_up(
            order,
            actor=self.coordinator.user,
            meeting_times=[now + timedelta(days=d) for d in (10, 40, 70)],
            term_starts=now.date(),
            term_ends=(now + timedelta(days=400)).date(),
            meeting_minutes=90,
            fee_per_meeting=Decimal("60.00"),
            fee_period="meeting",
            debrief_rule="end",
            leaving_terms="Tell the coordinator.",
        )
        offer = offer_to(order, self.expert, self.coordinator)
        offer_services.accept(self.expert.user, offer.pk, FeeType.WORK_COMPENSATION)
        first = series.meetings.first()
        Meeting.objects.filter(pk=first.pk).update(starts_at=now - timedelta(hours=3))
        return series

    @made_once
    def open_offer(self):
        order = order_in_state(
            OrderState.MATCHING, coordinator=self.coordinator, orderer=self.orderer
        )[0]
        return offer_to(order, self.expert, self.coordinator)

    @made_once
    def call_order(self):
        order = order_in_state(
            OrderState.MATCHING, coordinator=self.coordinator, orderer=self.orderer
        )[0]
        self.expert  # an eligible expert of the coordinator's organisation  # noqa: B018
        return order

    @made_once
    def open_call(self):
        """An open call on its own order, which the expert answered."""
        call = opencall_services.publish(
            self.call_order,
            actor=self.coordinator.user,
            answer_by=timezone.now() + timedelta(days=3),
        )
        opencall_services.express_interest(call, self.expert, "Mornings are fine.")
        return call

    @made_once
    def qualification(self):
        return Qualification.objects.create(
            expert=self.expert, kind="hospital_hygiene", on=date(2026, 1, 5)
        )

    @made_once
    def pending_agreement(self):
        return accepted_agreement(
            coordinator=self.coordinator, expert=self.expert, accept=False, orderer=self.orderer
        )[0]

    @made_once
    def accepted_agreement(self):
        return accepted_agreement(
            coordinator=self.coordinator, expert=self.expert, orderer=self.orderer
        )[0]

    @made_once
    def fee_pending(self):
        return fee_services.create_for_agreement(self.accepted_agreement)

    @made_once
    def fee_approved(self):
        agreement = accepted_agreement(
            coordinator=self.coordinator, expert=self.expert, orderer=self.orderer
        )[0]
        record = fee_services.create_for_agreement(agreement)
        return fee_services.approve(self.coordinator.user, record)

    def _series_fee(self):
        first = self.series.meetings.first()
        return SeriesFee.objects.create(
            series=self.series,
            agreement=self.series.order.agreements.get(expert=self.expert),
            expert=self.expert,
            meeting=first,
            period_start=first.starts_at.date(),
            fee_amount=Decimal("60.00"),
            fee_type=FeeType.WORK_COMPENSATION,
        )

    @made_once
    def series_fee_pending(self):
        return self._series_fee()

    @made_once
    def series_fee_approved(self):
        fee = self._series_fee()
        SeriesFee.objects.filter(pk=fee.pk).update(status="approved")
        fee.refresh_from_db()
        return fee

    @made_once
    def fee_row(self):
        return FeeSchedule.objects.create(
            organisation=self.organisation,
            task_type=TaskType.objects.get(slug="lecture"),
            basis=FeeBasis.PER_EVENT,
            amount=Decimal("200.00"),
            valid_from=date(2020, 1, 1),
            valid_until=date(2020, 12, 31),
        )

    @made_once
    def done_order(self):
        """An order whose assignment was held five hours ago, with the expert's agreement."""
        order = order_in_state(
            OrderState.MATCHING, coordinator=self.coordinator, orderer=self.orderer
        )[0]
        offer = offer_to(order, self.expert, self.coordinator)
        offer_services.accept(self.expert.user, offer.pk, FeeType.WORK_COMPENSATION)
        order.refresh_from_db()
        workflow.transition(order, "complete", actor=self.coordinator.user)
        now = timezone.now()
        Order.objects.filter(pk=order.pk).update(
            starts_at=now - timedelta(hours=5), debrief_at=now - timedelta(hours=2)
        )
        order.refresh_from_db()
        assert order.state == OrderState.DONE
        return order

    @made_once
    def failed_email(self):
        """An offer e-mail to the expert that the mail server refused for now."""
        from kokemustori.outbox.models import OutboundEmail, State

        offer = self.open_offer
        email = OutboundEmail.objects.get(
            user=self.expert.user, template="offer_received", key__contains=f"offer_id={offer.pk}:"
        )
        OutboundEmail.objects.filter(pk=email.pk).update(
            state=State.FAILED, attempts=1, last_error={"type": "TimeoutError", "code": None}
        )
        email.refresh_from_db()
        return email

    @made_once
    def sent_email(self):
        """The orderer's e-mail that their order was accepted, sent."""
        from kokemustori.outbox.models import OutboundEmail, State

        order = self.matching_order
        email = OutboundEmail.objects.get(
            user=self.orderer.user, template="order_accepted", about_id=order.pk
        )
        OutboundEmail.objects.filter(pk=email.pk).update(state=State.SENT, sent_at=timezone.now())
        email.refresh_from_db()
        return email

    @made_once
    def support_debrief(self):
        return followup_services.record_debrief(
            self.expert.user,
            self.done_order,
            self.expert,
            held_at=timezone.now() - timedelta(hours=1),
            held_by="Coordinator",
            wants_support=True,
        )


@pytest.fixture
def world(db):
    w = World()
    # What most rows use, made before any example.
    for name in ("organisation", "coordinator", "vocabulary", "orderer", "newcomer", "expert"):
        getattr(w, name)
    return w


def url(name, *args):
    return reverse(name, args=args)


# Field sets ----------------------------------------------------------------------------------


def profile_fields(w: World):
    v = w.vocabulary
    ids = {k: v[k].pk for k in ("area", "topic", "language", "region")}
    return {
        "first_name": text(150, required=True),
        "last_name": text(150, required=True),
        "phone": text(40),
        "municipality": text(80),
        "uses_pseudonym": flag(),
        "pseudonym": text(80, required=True),
        "first_name_public": flag(),
        "areas_own": multi(ids["area"]),
        "areas_close": multi(ids["area"]),
        "experience_story": text(3000),
        "bio": text(2000),
        "topics": multi(ids["topic"]),
        "topics_not_now": multi(ids["topic"]),
        "languages": multi(ids["language"]),
        "regions": multi(ids["region"]),
        "works_remotely": flag(),
        "task_types": multi(v["task_type"].pk),
        "workload_limit": integer(1, 60),
        "work_preference": choice("", "more", "same", "less"),
        "monthly_earnings_limit": decimal(0, 999999),
        "show_areas": flag(),
        "show_topics": flag(),
        "show_story": flag(),
    }


def training_fields(initial=0):
    return {
        "training-TOTAL_FORMS": choice(initial + 1),
        "training-INITIAL_FORMS": choice(initial),
        "training-MIN_NUM_FORMS": choice(0),
        "training-MAX_NUM_FORMS": choice(1000),
        f"training-{initial}-training_type": choice(*TrainingType.values),
        f"training-{initial}-organiser": text(200, required=True),
        f"training-{initial}-hours": decimal("0.5", 2000, places=1),
        f"training-{initial}-start_date": a_date(date(2000, 1, 1), date(2015, 12, 31)),
        f"training-{initial}-end_date": a_date(date(2016, 1, 1), date(2030, 12, 31)),
    }


ORDER_STEPS = [step.slug for step in STEPS]


def order_fields(w: World):
    v = w.vocabulary
    return {
        "organisation": Field(st.sampled_from(("", str(w.organisation.pk))), typed=False),
        "task_type": choice(*TaskType.objects.filter(is_active=True).values_list("pk", flat=True)),
        "title": text(200, required=True),
        "topic": choice("", v["topic"].pk),
        "description": text(3000),
        "audience": choice(*Audience.values),
        "audience_size": integer(1, 100000),
        "audience_notes": text(500),
        "topic_delimitation": text(500),
        "working_group": text(500),
        "role_introduction": text(500),
        "client_involved_from_start": flag(),
        "client_has_agreed": flag(),
        "starts_at": moment(timedelta(days=10), timedelta(days=60)),
        "alternative_times": text(300),
        "is_remote": flag(),
        "location": text(300),
        "remote_link": Field(
            st.sampled_from(
                (
                    "",
                    "https://meet.example.org/abc",
                    "https://example.org/?q=<script>alert(1)</script>",
                )
            )
        ),
        "region": choice("", v["region"].pk),
        "language": choice(v["language"].pk),
        "experts_needed": integer(1, 20),
        "expectations": text(2000),
        "event_minutes": duration(),
        "preparation_minutes": duration(),
        "planning_minutes": duration(),
        "debrief_minutes": duration(),
        "travel_minutes": duration(),
        "fee_choice": choice(*FeeChoice.values),
        "fee_amount": decimal(0, 100000),
        "travel_costs": text(500),
        "planning_meeting": flag(),
        "planning_meeting_at": moment(timedelta(days=1), timedelta(days=9), required=False),
        "debrief_by": text(200),
        "debrief_at": moment(timedelta(days=61), timedelta(days=70), required=False),
        "confidentiality": flag(),
        "confidentiality_scope": text(500),
        "access_arrangements": multi(*AccessArrangement.values),
        "access_notes": text(500),
        "notice_days": integer(0, 365),
        "contact_name": text(200),
        "contact_phone": text(40),
        "contact_email": email(),
    }


REASON = {"reason": text(2000)}
NO_FIELDS: dict = {}


# The table -----------------------------------------------------------------------------------


@dataclass
class FormCase:
    """One form: who posts it where, its fields, what must not change when it is refused, and
    the pages that show what a valid submission stored."""

    name: str
    url_name: str
    actor: Callable  # World -> user or None (anonymous)
    url: Callable  # World -> URL, or a strategy of URLs
    fields: Callable  # World -> {name: Field}
    watch: Callable = lambda w: []  # World -> objects that a refusal must leave as they were
    pages: Callable = lambda w, response: []  # -> [(user, url)] showing the stored values
    saves_when_rerendered: bool = False  # the order form saves the draft when sending is refused
    anonymous: bool = False
    examples: int = 12
    before: Callable = lambda w, client: None  # steps before the post, e.g. asking for a code
    # A refusal answers with the expert's full profile again, and that view is audited.
    shows_full_profile: bool = False
    # A refusal that is itself written to the audit log (e.g. a sign-in refused): that action.
    audited_refusal: str = ""

    def __repr__(self):
        return f"<{self.name}>"


def redirect_target(response):
    return response["Location"] if response.has_header("Location") else None


def orders_after_save(w, response):
    order = Order.objects.filter(orderer=w.orderer).order_by("-pk").first()
    coordinator = w.coordinator.user
    return [
        (w.orderer.user, url("orders:detail", order.pk)),
        (w.orderer.user, url("orders:edit", order.pk)) if order.state == "draft" else None,
        (w.orderer.user, url("orders:check", order.pk)) if order.state == "draft" else None,
        (w.orderer.user, url("orders:list")),
        (coordinator, url("orders:detail", order.pk)) if order.state != "draft" else None,
        (coordinator, url("orders:inbox") + "?state=" + order.state),
    ]


def expert_pages(w, expert):
    pages = [(expert.user, url("experts:me")), (expert.user, url("experts:edit"))]
    if expert.status != ExpertStatus.DRAFT:
        pages.append((w.coordinator.user, url("experts:review_detail", expert.pk)))
        pages.append((w.coordinator.user, url("experts:review_list") + "?show=all"))
    if expert.status == ExpertStatus.ACTIVE:
        pages.append((w.orderer.user, url("experts:catalogue")))
        pages.append((w.orderer.user, url("experts:public_detail", expert.pk)))
    return pages


def applied_pages(w, response):
    from kokemustori.experts.models import Expert

    expert = Expert.objects.get(user=w.newcomer)
    return [(w.newcomer, url("experts:apply")), (w.newcomer, url("experts:me"))] + (
        expert_pages(w, expert) if expert.status != ExpertStatus.DRAFT else []
    )


def step_urls(w):
    order = w.submitted_order
    steps = [*workflow.TRANSITIONS, "no-such-step", "ask_changes", "decline", "cancel"]
    return st.sampled_from(steps).map(lambda s: url("orders:step", order.pk, s))


def support_fields(w):
    return {"debrief": Field(st.just(str(w.support_debrief.pk)), typed=False)}


FORMS = [
    FormCase(
        "language switch",
        "set_language",
        lambda w: w.newcomer,
        lambda w: url("set_language"),
        lambda w: {
            "language": choice("fi", "sv", "en"),
            "next": Field(
                st.sampled_from(
                    ("/en/dashboard/", "/fi/", "https://evil.example/", "http://[", "//evil")
                )
            ),
        },
        watch=lambda w: [w.newcomer],
        pages=lambda w, r: [(w.newcomer, url("accounts_settings"))],
    ),
    FormCase(
        "language switch (anonymous)",
        "set_language",
        lambda w: None,
        lambda w: url("set_language"),
        lambda w: {"language": choice("fi", "sv", "en"), "next": text(200)},
        anonymous=True,
    ),
    FormCase(
        "accessibility feedback (anonymous)",
        "pages:accessibility",
        lambda w: None,
        lambda w: url("pages:accessibility"),
        lambda w: {"message": text(4000, required=True), "reply_email": email()},
        anonymous=True,
    ),
    FormCase(
        "account settings",
        "accounts_settings",
        lambda w: w.newcomer,
        lambda w: url("accounts_settings"),
        lambda w: {
            "first_name": text(150),
            "last_name": text(150),
            "language": choice("fi", "sv", "en"),
        },
        watch=lambda w: [w.newcomer],
        pages=lambda w, r: [
            (w.newcomer, url("accounts_settings")),
            (w.newcomer, url("pages:dashboard")),
        ],
    ),
    # Sign-in through identity providers (kokemustori.identity). No provider is configured in
    # this world: any provider id answers 404, whatever is posted. The real flow, and bad
    # answers from a provider, are fuzzed against a local issuer in tests/identity.
    FormCase(
        "identity: sign-in through a provider (anonymous)",
        "openid_connect_login",
        lambda w: None,
        lambda w: st.sampled_from(("hospital", "x" * 40, "%3Cb%3E", "..")).map(
            lambda p: f"/en/accounts/oidc/{p}/login/"
        ),
        lambda w: {"process": choice("login", "connect", "redirect"), "next": text(200)},
        anonymous=True,
        audited_refusal=Action.OIDC_REFUSED,
    ),
    FormCase(
        "identity: linking a provider",
        "openid_connect_login",
        lambda w: w.newcomer,
        lambda w: url("openid_connect_login", "hospital"),
        lambda w: {"process": choice("login", "connect"), "next": text(200)},
        watch=lambda w: [w.newcomer],
        audited_refusal=Action.OIDC_REFUSED,
    ),
    FormCase(
        "identity: an expert's strong identification (no broker here)",
        "identity:confirm",
        lambda w: w.expert.user,
        lambda w: url("identity:confirm"),
        lambda w: {"take_code": flag(), "process": choice("connect", "login")},
        watch=lambda w: [w.expert],
    ),
    FormCase(
        "identity: removing a linked provider",
        "socialaccount_connections",
        lambda w: w.newcomer,
        lambda w: url("socialaccount_connections"),
        lambda w: {"account": text(20)},
        watch=lambda w: [w.newcomer],
    ),
    FormCase(
        "joining: application with training formset",
        "experts:apply",
        lambda w: w.newcomer,
        lambda w: url("experts:apply"),
        lambda w: {
            "organisation": choice(w.organisation.pk),
            "kinds": multi(*ExpertKind.values),
            "consent": flag(),
            **profile_fields(w),
            **training_fields(),
        },
        watch=lambda w: [w.newcomer],
        pages=applied_pages,
        examples=16,
    ),
    FormCase(
        "expert profile edit with training formset",
        "experts:edit",
        lambda w: w.expert.user,
        lambda w: url("experts:edit"),
        lambda w: {**profile_fields(w), **training_fields()},
        watch=lambda w: [w.expert, w.expert.user],
        pages=lambda w, r: expert_pages(w, w.expert),
        examples=16,
    ),
    FormCase(
        "expert break",
        "experts:break",
        lambda w: w.expert.user,
        lambda w: url("experts:break"),
        lambda w: {"break": choice("start", "end")},
        watch=lambda w: [w.expert],
        pages=lambda w, r: [(w.expert.user, url("experts:me"))],
    ),
    FormCase(
        "how notices reach me",
        "notifications:preferences",
        lambda w: w.coordinator.user,
        lambda w: url("notifications:preferences"),
        lambda w: {kind: choice(*Delivery.values) for kind in NOTICE_KINDS},
        watch=lambda w: [],
        pages=lambda w, r: [(w.coordinator.user, url("notifications:preferences"))],
    ),
    FormCase(
        "all notices marked read",
        "notifications:mark_all_read",
        lambda w: w.coordinator.user,
        lambda w: url("notifications:mark_all_read"),
        lambda w: {},
        pages=lambda w, r: [(w.coordinator.user, url("notifications:notices"))],
    ),
    FormCase(
        "a notice marked read",
        "notifications:mark_read",
        lambda w: w.coordinator.user,
        lambda w: st.sampled_from(
            [
                url("notifications:mark_read", pk)
                for pk in Notice.objects.filter(user=w.coordinator.user).values_list(
                    "pk", flat=True
                )
            ]
            or [url("notifications:mark_read", 999999)]
        ),
        lambda w: {},
        pages=lambda w, r: [(w.coordinator.user, url("notifications:notices"))],
    ),
    FormCase(
        "calendar address made or renewed",
        "calendars:turn_on",
        lambda w: w.expert.user,
        lambda w: url("calendars:turn_on"),
        lambda w: {},
        pages=lambda w, r: [(w.expert.user, url("calendars:settings"))],
    ),
    FormCase(
        "calendar address turned off",
        "calendars:turn_off",
        lambda w: w.expert.user,
        lambda w: url("calendars:turn_off"),
        lambda w: {},
        pages=lambda w, r: [(w.expert.user, url("calendars:settings"))],
    ),
    FormCase(
        "kind application",
        "experts:apply_for_kind",
        lambda w: w.expert.user,
        lambda w: url("experts:apply_for_kind"),
        lambda w: {"kind": choice(*ExpertKind.values)},
        watch=lambda w: [w.expert],
        pages=lambda w, r: [(w.expert.user, url("experts:me"))],
    ),
    FormCase(
        "review: verify or reject a training",
        "experts:review_training",
        lambda w: w.coordinator.user,
        lambda w: url(
            "experts:review_training", w.applicant["expert"].pk, w.applicant["training"].pk
        ),
        lambda w: {"decision": choice("verify", "reject"), **REASON},
        watch=lambda w: [w.applicant["training"]],
        pages=lambda w, r: [
            (w.coordinator.user, url("experts:review_detail", w.applicant["expert"].pk)),
            (w.applicant["expert"].user, url("experts:me")),
        ],
        shows_full_profile=True,
    ),
    FormCase(
        "review: grant or refuse a kind",
        "experts:decide_kind",
        lambda w: w.coordinator.user,
        lambda w: url(
            "experts:decide_kind", w.applicant["expert"].pk, w.applicant["application"].pk
        ),
        lambda w: {"decision": choice("grant", "refuse"), **REASON},
        watch=lambda w: [w.applicant["application"], w.applicant["expert"]],
        pages=lambda w, r: [
            (w.coordinator.user, url("experts:review_detail", w.applicant["expert"].pk)),
            (w.applicant["expert"].user, url("experts:me")),
        ],
        shows_full_profile=True,
    ),
    FormCase(
        "orderer profile (registering)",
        "orderers:profile",
        lambda w: w.newcomer,
        lambda w: url("orderers:profile"),
        lambda w: {
            "first_name": text(150, required=True),
            "last_name": text(150, required=True),
            "organisation_name": text(200, required=True),
            "unit": text(200),
            "title": text(120),
            "phone": text(40),
            "billing_details": text(2000),
        },
        watch=lambda w: [w.newcomer],
        pages=lambda w, r: [
            (w.newcomer, url("orderers:profile")),
            (w.newcomer, url("pages:dashboard")),
        ],
    ),
    FormCase(
        "orderer verification: approve or refuse",
        "orderers:decide",
        lambda w: w.coordinator.user,
        lambda w: url("orderers:decide", w.pending_orderer.pk),
        lambda w: {"decision": choice("approve", "refuse"), **REASON},
        watch=lambda w: [w.pending_orderer],
        pages=lambda w, r: [
            (w.coordinator.user, url("orderers:waiting")),
            (w.pending_orderer.user, url("pages:dashboard")),
            (w.pending_orderer.user, url("orderers:profile")),
        ],
    ),
    FormCase(
        "order form, step 1 of a new order",
        "orders:create",
        lambda w: w.orderer.user,
        lambda w: url("orders:create"),
        order_fields,
        pages=orders_after_save,
        examples=16,
    ),
    *(
        FormCase(
            f"order form, step {section} of a draft",
            "orders:form_step",
            lambda w: w.orderer.user,
            lambda w, section=section: url("orders:form_step", w.draft_order.pk, section),
            order_fields,
            watch=lambda w: [w.draft_order],
            pages=orders_after_save,
            examples=10,
        )
        for section in ORDER_STEPS
    ),
    FormCase(
        "order form, check and send",
        "orders:check",
        lambda w: w.orderer.user,
        lambda w: url("orders:check", w.draft_order.pk),
        lambda w: {"submit": flag()},
        watch=lambda w: [w.draft_order],
        pages=orders_after_save,
    ),
    FormCase(
        "order steps (workflow), coordinator",
        "orders:step",
        lambda w: w.coordinator.user,
        step_urls,
        lambda w: REASON,
        watch=lambda w: [w.submitted_order],
        pages=lambda w, r: [
            (w.coordinator.user, url("orders:detail", w.submitted_order.pk)),
            (w.orderer.user, url("orders:detail", w.submitted_order.pk)),
        ],
    ),
    FormCase(
        "order steps (workflow), orderer",
        "orders:step",
        lambda w: w.orderer.user,
        step_urls,
        lambda w: REASON,
        watch=lambda w: [w.submitted_order],
        pages=lambda w, r: [(w.orderer.user, url("orders:detail", w.submitted_order.pk))],
    ),
    FormCase(
        "matching: send offers",
        "matching:order",
        lambda w: w.coordinator.user,
        lambda w: url("matching:order", w.matching_order.pk),
        lambda w: {
            "experts": multi(w.expert.pk, required=True),
            "message": text(2000),
            "expires_at": moment(timedelta(hours=2), timedelta(days=5), required=False),
        },
        watch=lambda w: [w.matching_order],
        pages=lambda w, r: [
            (w.coordinator.user, url("orders:detail", w.matching_order.pk)),
            (w.expert.user, url("offers:mine")),
            *[
                (w.expert.user, url("offers:detail", offer.pk))
                for offer in w.matching_order.offers.all()
            ],
        ],
    ),
    FormCase(
        "open call: publish",
        "opencalls:publish",
        lambda w: w.coordinator.user,
        lambda w: url("opencalls:publish", w.call_order.pk),
        lambda w: {
            "answer_by": moment(timedelta(hours=2), timedelta(days=20)),
            "message": text(2000),
        },
        watch=lambda w: [w.call_order],
        pages=lambda w, r: [
            (w.coordinator.user, redirect_target(r)),
            (w.coordinator.user, url("orders:detail", w.call_order.pk)),
        ],
    ),
    FormCase(
        "open call: interest",
        "opencalls:detail",
        lambda w: w.expert.user,
        lambda w: url("opencalls:detail", w.open_call.pk),
        lambda w: {"note": text(1000)},
        watch=lambda w: [w.open_call, *w.open_call.interests.all()],
        pages=lambda w, r: [
            (w.expert.user, url("opencalls:detail", w.open_call.pk)),
            (w.expert.user, url("opencalls:mine")),
            (w.coordinator.user, url("opencalls:manage", w.open_call.pk)),
        ],
    ),
    FormCase(
        "open call: withdraw interest",
        "opencalls:withdraw",
        lambda w: w.expert.user,
        lambda w: url("opencalls:withdraw", w.open_call.pk),
        lambda w: NO_FIELDS,
        watch=lambda w: [w.open_call],
        pages=lambda w, r: [(w.expert.user, url("opencalls:detail", w.open_call.pk))],
    ),
    FormCase(
        "open call: offer to the interested",
        "opencalls:manage",
        lambda w: w.coordinator.user,
        lambda w: url("opencalls:manage", w.open_call.pk),
        lambda w: {
            "experts": multi(w.expert.pk, required=True),
            "message": text(2000),
            "expires_at": moment(timedelta(hours=2), timedelta(days=5), required=False),
        },
        watch=lambda w: [w.open_call, w.call_order],
        pages=lambda w, r: [
            (w.coordinator.user, url("opencalls:manage", w.open_call.pk)),
            (w.expert.user, url("offers:mine")),
        ],
    ),
    FormCase(
        "open call: close",
        "opencalls:close",
        lambda w: w.coordinator.user,
        lambda w: url("opencalls:close", w.open_call.pk),
        lambda w: NO_FIELDS,
        pages=lambda w, r: [(w.coordinator.user, url("opencalls:manage", w.open_call.pk))],
    ),
    FormCase(
        "commitments: confidentiality text",
        "commitments:texts",
        lambda w: w.coordinator.user,
        lambda w: url("commitments:texts"),
        lambda w: {"text": text(10000, required=True)},
        pages=lambda w, r: [
            (w.coordinator.user, url("commitments:texts")),
            (w.expert.user, url("commitments:sign")),
        ],
    ),
    FormCase(
        "commitments: sign",
        "commitments:sign",
        lambda w: w.expert.user,
        lambda w: url("commitments:sign"),
        lambda w: {"version": integer(1, 3, required=True), "agree": flag()},
        watch=lambda w: [w.confidentiality_text],
        pages=lambda w, r: [
            (w.expert.user, url("commitments:sign")),
            (w.coordinator.user, url("commitments:texts")),
        ],
    ),
    FormCase(
        "commitments: training programme",
        "commitments:programme",
        lambda w: w.coordinator.user,
        lambda w: url("commitments:programme", w.expert.pk),
        lambda w: {
            "name": text(200, required=True),
            "trainings": multi(*[t.pk for t in w.expert_modules], required=True),
        },
        watch=lambda w: [*w.expert_modules],
        pages=lambda w, r: [
            (w.coordinator.user, url("commitments:programme", w.expert.pk)),
            (w.coordinator.user, url("experts:review_detail", w.expert.pk)),
        ],
    ),
    FormCase(
        "series: set up",
        "series:set_up",
        lambda w: w.coordinator.user,
        lambda w: url("series:set_up", w.plannable_order.pk),
        lambda w: {
            "term_starts": a_date(date(2025, 1, 1), date(2031, 1, 1)),
            "term_ends": a_date(date(2025, 1, 1), date(2035, 1, 1)),
            "meetings": meeting_lines(),
            "meeting_minutes": integer(1, 800, required=True),
            "fee_per_meeting": decimal("0", "20000"),
            "fee_period": choice("meeting", "month"),
            "debrief_rule": choice("each", "end"),
            "leaving_terms": text(3000, required=True),
        },
        watch=lambda w: [w.plannable_order],
        pages=lambda w, r: [
            (w.coordinator.user, url("orders:detail", w.plannable_order.pk)),
            (w.coordinator.user, redirect_target(r)),
        ],
    ),
    FormCase(
        "series: cancel a meeting",
        "series:cancel_meeting",
        lambda w: w.coordinator.user,
        lambda w: url("series:cancel_meeting", w.series.meetings.last().pk),
        lambda w: {"reason": text(2000, required=True)},
        watch=lambda w: [*w.series.meetings.all()],
        pages=lambda w, r: [
            (w.coordinator.user, url("series:detail", w.series.pk)),
            (w.expert.user, url("series:detail", w.series.pk)),
        ],
    ),
    FormCase(
        "series: attendance",
        "series:attendance",
        lambda w: w.coordinator.user,
        lambda w: url("series:attendance", w.series.meetings.first().pk),
        lambda w: {
            f"status_{w.expert.pk}": choice("attended", "excused", "absent"),
            f"debriefed_{w.expert.pk}": flag(),
        },
        watch=lambda w: [*w.series.meetings.all()],
        pages=lambda w, r: [
            (w.coordinator.user, url("series:detail", w.series.pk)),
            (w.expert.user, url("series:detail", w.series.pk)),
        ],
    ),
    FormCase(
        "requirements of an order",
        "requirements:order",
        lambda w: w.coordinator.user,
        lambda w: url("requirements:order", w.call_order.pk),
        lambda w: {
            "criminal_record": flag(),
            "hospital_hygiene": flag(),
            "language_level": choice("", *LanguageLevel.values),
        },
        watch=lambda w: [w.call_order],
        pages=lambda w, r: [
            (w.coordinator.user, url("orders:detail", w.call_order.pk)),
            (w.orderer.user, url("orders:detail", w.call_order.pk)),
            (w.coordinator.user, url("matching:order", w.call_order.pk)),
        ],
    ),
    FormCase(
        "requirements: what an expert meets",
        "requirements:expert",
        lambda w: w.coordinator.user,
        lambda w: url("requirements:expert", w.expert.pk),
        lambda w: {
            "kind": choice(*QualificationKind.values),
            "language": choice("", w.vocabulary["language"].pk),
            "level": choice("", *LanguageLevel.values),
            "on": a_date(date(2020, 1, 1), date(2026, 1, 1)),
            "valid_until": Field(
                st.one_of(st.just(""), st.dates(date(2026, 1, 2), date(2035, 1, 1)).map(str)),
                date_text(),
            ),
            "extract_recent": flag(),
        },
        watch=lambda w: [w.expert],
        pages=lambda w, r: [
            (w.coordinator.user, url("requirements:expert", w.expert.pk)),
            (w.expert.user, url("experts:me")),
        ],
    ),
    FormCase(
        "requirements: remove a record",
        "requirements:remove",
        lambda w: w.coordinator.user,
        lambda w: url("requirements:remove", w.expert.pk, w.qualification.pk),
        lambda w: NO_FIELDS,
        pages=lambda w, r: [(w.coordinator.user, url("requirements:expert", w.expert.pk))],
    ),
    FormCase(
        "offer accept",
        "offers:detail",
        lambda w: w.expert.user,
        lambda w: url("offers:detail", w.open_offer.pk),
        lambda w: {"fee_type": choice(*FeeType.values), "understood_limit": flag()},
        watch=lambda w: [w.open_offer, w.open_offer.order],
        pages=lambda w, r: [
            (w.expert.user, redirect_target(r)),
            (w.orderer.user, url("orders:detail", w.open_offer.order_id)),
        ],
    ),
    FormCase(
        "offer decline",
        "offers:decline",
        lambda w: w.expert.user,
        lambda w: url("offers:decline", w.open_offer.pk),
        lambda w: NO_FIELDS,
        watch=lambda w: [w.open_offer],
        pages=lambda w, r: [(w.expert.user, url("offers:mine"))],
    ),
    FormCase(
        "agreement accept",
        "agreements:accept",
        lambda w: w.orderer.user,
        lambda w: url("agreements:accept", w.pending_agreement.pk),
        lambda w: NO_FIELDS,
        watch=lambda w: [w.pending_agreement],
        pages=lambda w, r: [(w.orderer.user, url("agreements:detail", w.pending_agreement.pk))],
    ),
    FormCase(
        "agreement cancel",
        "agreements:cancel",
        lambda w: w.expert.user,
        lambda w: url("agreements:cancel", w.pending_agreement.pk),
        lambda w: REASON,
        watch=lambda w: [w.pending_agreement, w.pending_agreement.order],
        pages=lambda w, r: [
            (w.expert.user, url("agreements:detail", w.pending_agreement.pk)),
            (w.orderer.user, url("agreements:detail", w.pending_agreement.pk)),
            (w.orderer.user, url("orders:detail", w.pending_agreement.order_id)),
            (w.coordinator.user, url("orders:detail", w.pending_agreement.order_id)),
            (w.expert.user, url("agreements:mine")),
        ],
    ),
    FormCase(
        "agreement amend",
        "agreements:amend",
        lambda w: w.coordinator.user,
        lambda w: url("agreements:amend", w.pending_agreement.pk),
        lambda w: {
            "tasks": text(2000, required=True),
            "starts_at": moment(timedelta(days=10), timedelta(days=60)),
            "ends_at": moment(timedelta(days=10), timedelta(days=61), required=False),
            "place": text(500),
            "planning_meeting_at": moment(timedelta(days=1), timedelta(days=9), required=False),
            "debrief_at": moment(timedelta(days=61), timedelta(days=70), required=False),
            "debrief_by": text(200),
            "fee_amount": decimal(0, 100000),
            "expenses": text(500),
            "confidentiality": text(500),
            "reason": text(2000, required=True),
        },
        watch=lambda w: [w.pending_agreement],
        pages=lambda w, r: [
            (w.coordinator.user, url("agreements:detail", w.pending_agreement.pk)),
            (w.orderer.user, url("agreements:detail", w.pending_agreement.pk)),
        ],
    ),
    FormCase(
        "fee expenses",
        "fees:expenses",
        lambda w: w.expert.user,
        lambda w: url("fees:expenses", w.fee_pending.pk),
        lambda w: {
            "public_transport": decimal(0, 500),
            "kilometres": decimal(0, 5000, places=1),
            "daily_allowance": decimal(0, 100),
            "amount": Field(
                st.one_of(
                    st.decimals(0, 5000, places=2).map(str),
                    st.sampled_from(("1 200,50 €", "12,5", "0")),
                )
            ),
            "note": text(2000),
        },
        watch=lambda w: [w.fee_pending],
        pages=lambda w, r: [
            (w.expert.user, url("fees:mine")),
            (w.coordinator.user, url("fees:list")),
            (w.coordinator.user, url("fees:overdue")),
        ],
    ),
    FormCase(
        "personal identity code",
        "fees:identity_code",
        lambda w: w.expert.user,
        lambda w: url("fees:identity_code"),
        lambda w: {
            "personal_identity_code": Field(
                st.one_of(st.sampled_from(("131052-308T", "010190-123A", "")), valid_text(20))
            ),
            "remove": flag(),
        },
        watch=lambda w: [w.expert],
        pages=lambda w, r: [(w.expert.user, url("fees:identity_code"))],
        before=lambda w, client: os.environ.setdefault(
            "PERSONAL_ID_KEY", "u5ZHZJcUSoQzT9QqZoSy0Pj1o2qTqgI5aU7ZsW0oQ3k="
        ),
    ),
    FormCase(
        "fee approve",
        "fees:approve",
        lambda w: w.coordinator.user,
        lambda w: url("fees:approve", w.fee_pending.pk),
        lambda w: {
            "next": Field(st.sampled_from(("", "/en/fees/", "https://evil.example/", "http://[")))
        },
        watch=lambda w: [w.fee_pending],
        pages=lambda w, r: [(w.coordinator.user, url("fees:list"))],
    ),
    FormCase(
        "fee marked paid",
        "fees:paid",
        lambda w: w.coordinator.user,
        lambda w: url("fees:paid", w.fee_approved.pk),
        lambda w: {
            "next": Field(st.sampled_from(("", "/en/fees/?status=paid", "//evil.example/")))
        },
        watch=lambda w: [w.fee_approved],
        pages=lambda w, r: [(w.coordinator.user, url("fees:list") + "?status=paid")],
    ),
    FormCase(
        "series fee approved",
        "series:approve_fee",
        lambda w: w.coordinator.user,
        lambda w: url("series:approve_fee", w.series_fee_pending.pk),
        lambda w: {
            "next": Field(st.sampled_from(("", "/en/fees/", "https://evil.example/", "http://[")))
        },
        watch=lambda w: [w.series_fee_pending],
        pages=lambda w, r: [(w.coordinator.user, url("fees:list"))],
    ),
    FormCase(
        "series fee marked paid",
        "series:fee_paid",
        lambda w: w.coordinator.user,
        lambda w: url("series:fee_paid", w.series_fee_approved.pk),
        lambda w: {
            "next": Field(st.sampled_from(("", "/en/fees/?status=paid", "//evil.example/")))
        },
        watch=lambda w: [w.series_fee_approved],
        pages=lambda w, r: [(w.coordinator.user, url("fees:list") + "?status=paid")],
    ),
    FormCase(
        "fee schedule row added",
        "fees:schedule_add",
        lambda w: w.coordinator.user,
        lambda w: url("fees:schedule_add"),
        lambda w: {
            "organisation": choice(w.organisation.pk),
            "task_type": choice(w.vocabulary["task_type"].pk),
            "basis": choice(*FeeBasis.values),
            "amount": decimal(0, 100000),
            "amount_min": decimal(0, 100000),
            "amount_max": decimal(0, 100000),
            "valid_from": a_date(),
            "valid_until": a_date(),
        },
        pages=lambda w, r: [
            (w.coordinator.user, url("fees:schedule")),
            (w.orderer.user, url("pages:ordering")),
        ],
    ),
    FormCase(
        "fee schedule row edited",
        "fees:schedule_edit",
        lambda w: w.coordinator.user,
        lambda w: url("fees:schedule_edit", w.fee_row.pk),
        lambda w: {
            "task_type": choice(w.vocabulary["task_type"].pk),
            "basis": choice(*FeeBasis.values),
            "amount": decimal(0, 100000),
            "amount_min": decimal(0, 100000),
            "amount_max": decimal(0, 100000),
            "valid_from": a_date(),
            "valid_until": a_date(),
        },
        watch=lambda w: [w.fee_row],
        pages=lambda w, r: [(w.coordinator.user, url("fees:schedule"))],
    ),
    FormCase(
        "message on the order (orderer)",
        "conversations:order_thread",
        lambda w: w.orderer.user,
        lambda w: url("conversations:order_thread", w.matching_order.pk),
        lambda w: {"body": text(4000, required=True), "back": choice("order", "thread")},
        watch=lambda w: [w.matching_order],
        pages=lambda w, r: [
            (w.orderer.user, url("orders:detail", w.matching_order.pk)),
            (w.coordinator.user, url("conversations:order_thread", w.matching_order.pk)),
        ],
    ),
    FormCase(
        "message to an offered expert (coordinator)",
        "conversations:expert_thread",
        lambda w: w.coordinator.user,
        lambda w: url("conversations:expert_thread", w.open_offer.order_id, w.expert.pk),
        lambda w: {"body": text(4000, required=True), "back": choice("order", "offer")},
        watch=lambda w: [w.open_offer],
        pages=lambda w, r: [
            (w.expert.user, url("offers:detail", w.open_offer.pk)),
            (
                w.coordinator.user,
                url("conversations:expert_thread", w.open_offer.order_id, w.expert.pk),
            ),
        ],
    ),
    FormCase(
        "planning meeting",
        "followup:planning",
        lambda w: w.orderer.user,
        lambda w: url("followup:planning", w.matching_order.pk),
        lambda w: {
            "held_at": moment(-timedelta(days=10), -timedelta(minutes=1)),
            "notes": text(3000),
        },
        watch=lambda w: [w.matching_order],
        pages=lambda w, r: [
            (w.orderer.user, url("followup:planning", w.matching_order.pk)),
            (w.orderer.user, url("orders:detail", w.matching_order.pk)),
            (w.coordinator.user, url("orders:detail", w.matching_order.pk)),
        ],
    ),
    FormCase(
        "debrief (expert, whole)",
        "followup:debrief",
        lambda w: w.expert.user,
        lambda w: url("followup:debrief", w.done_order.pk, w.expert.pk),
        lambda w: {
            "held_at": moment(-timedelta(hours=4), -timedelta(minutes=5)),
            "held_by": text(200, required=True),
            "feelings": text(3000),
            "evaluation": text(3000),
            "wants_support": flag(),
        },
        watch=lambda w: [w.done_order],
        pages=lambda w, r: [
            (w.expert.user, url("followup:debrief", w.done_order.pk, w.expert.pk)),
            (w.coordinator.user, url("followup:debrief", w.done_order.pk, w.expert.pk)),
            (w.coordinator.user, url("followup:support")),
            (w.orderer.user, url("followup:debrief", w.done_order.pk, w.expert.pk)),
            (w.orderer.user, url("orders:detail", w.done_order.pk)),
        ],
    ),
    FormCase(
        "debrief (orderer, held only)",
        "followup:debrief",
        lambda w: w.orderer.user,
        lambda w: url("followup:debrief", w.done_order.pk, w.expert.pk),
        lambda w: {
            "held_at": moment(-timedelta(hours=4), -timedelta(minutes=5)),
            "held_by": text(200, required=True),
            "feelings": text(100),
        },
        watch=lambda w: [w.done_order],
        pages=lambda w, r: [
            (w.orderer.user, url("followup:debrief", w.done_order.pk, w.expert.pk)),
            (w.expert.user, url("followup:debrief", w.done_order.pk, w.expert.pk)),
            (w.orderer.user, url("orders:detail", w.done_order.pk)),
        ],
    ),
    FormCase(
        "feedback (orderer)",
        "followup:feedback",
        lambda w: w.orderer.user,
        lambda w: url("followup:feedback", w.done_order.pk, w.expert.pk),
        lambda w: {"overall": choice(1, 2, 3, 4, 5), "comment": text(3000)},
        watch=lambda w: [w.done_order],
        pages=lambda w, r: [
            (w.orderer.user, url("followup:feedback", w.done_order.pk, w.expert.pk)),
            (w.coordinator.user, url("followup:summary")),
        ],
    ),
    FormCase(
        "feedback (expert)",
        "followup:feedback",
        lambda w: w.expert.user,
        lambda w: url("followup:feedback", w.done_order.pk, w.expert.pk),
        lambda w: {
            "expectations_clear": choice(1, 2, 3, 4, 5),
            "time_respected": choice(1, 2, 3, 4, 5),
            "treated_as_equal": choice(1, 2, 3, 4, 5),
            "comment": text(3000),
        },
        watch=lambda w: [w.done_order],
        pages=lambda w, r: [
            (w.expert.user, url("followup:feedback", w.done_order.pk, w.expert.pk)),
            (w.coordinator.user, url("followup:summary")),
        ],
    ),
    FormCase(
        "support request handled",
        "followup:support",
        lambda w: w.coordinator.user,
        lambda w: url("followup:support"),
        support_fields,
        watch=lambda w: [w.support_debrief],
        pages=lambda w, r: [(w.coordinator.user, url("followup:support"))],
    ),
    FormCase(
        "outgoing e-mail sent again",
        "notifications:retry",
        lambda w: w.coordinator.user,
        lambda w: url("notifications:retry", w.failed_email.pk),
        lambda w: NO_FIELDS,
        watch=lambda w: [w.failed_email],
        pages=lambda w, r: [
            (w.coordinator.user, url("notifications:email", w.failed_email.pk)),
            (w.coordinator.user, url("notifications:outbox") + "?state=queued"),
        ],
    ),
    FormCase(
        "outgoing e-mail sent again as a copy",
        "notifications:resend",
        lambda w: w.coordinator.user,
        lambda w: url("notifications:resend", w.sent_email.pk),
        lambda w: NO_FIELDS,
        watch=lambda w: [w.sent_email],
        pages=lambda w, r: [
            (w.coordinator.user, url("notifications:email", w.sent_email.pk)),
            (w.coordinator.user, url("notifications:outbox") + "?state=queued"),
        ],
    ),
    # allauth ---------------------------------------------------------------------------------
    FormCase(
        "log in",
        "account_login",
        lambda w: None,
        lambda w: url("account_login"),
        lambda w: {"login": email(w.newcomer.email), "password": secret(), "remember": flag()},
        anonymous=True,
    ),
    FormCase(
        "sign up",
        "account_signup",
        lambda w: None,
        lambda w: url("account_signup"),
        lambda w: {
            "email": email(),
            "password1": secret(),
            "password2": secret(),
            "first_name": text(150, required=True),
            "last_name": text(150, required=True),
            "language": choice("fi", "sv", "en"),
        },
        anonymous=True,
        pages=lambda w, r: [(None, redirect_target(r))],
    ),
    FormCase(
        "password reset",
        "account_reset_password",
        lambda w: None,
        lambda w: url("account_reset_password"),
        lambda w: {"email": email(w.newcomer.email)},
        anonymous=True,
    ),
    FormCase(
        "password reset from key (forged keys)",
        "account_reset_password_from_key",
        lambda w: None,
        lambda w: hostile_text().map(
            lambda key: (
                f"/en/accounts/password/reset/key/1-{quote(key.encode('utf-8', 'surrogatepass'), safe='')}/"
            )
        ),
        lambda w: {"password1": secret(), "password2": secret()},
        anonymous=True,
    ),
    FormCase(
        "log in by code: ask for a code",
        "account_request_login_code",
        lambda w: None,
        lambda w: url("account_request_login_code"),
        lambda w: {"email": email()},
        anonymous=True,
    ),
    FormCase(
        "log in by code: confirm the code",
        "account_confirm_login_code",
        lambda w: None,
        lambda w: url("account_confirm_login_code"),
        lambda w: {
            "code": Field(
                st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=6, max_size=6)
            )
        },
        anonymous=True,
        before=lambda w, client: client.post(
            url("account_request_login_code"), {"email": w.newcomer.email}
        ),
    ),
    FormCase(
        "password change",
        "account_change_password",
        lambda w: w.newcomer,
        lambda w: url("account_change_password"),
        lambda w: {"oldpassword": secret(), "password1": secret(), "password2": secret()},
        watch=lambda w: [w.newcomer],
    ),
    # One button per post, as the page sends it: add, make primary, re-send, remove.
    *[
        FormCase(
            f"e-mail addresses: {action}",
            "account_email",
            lambda w: w.newcomer,
            lambda w: url("account_email"),
            lambda w, action=action: {"email": email(), f"action_{action}": choice("")},
            pages=lambda w, r: [(w.newcomer, url("account_email"))],
            saves_when_rerendered=True,  # allauth answers an added address with the page
            examples=5,
        )
        for action in ("add", "primary", "send", "remove")
    ],
    FormCase(
        "reauthenticate",
        "account_reauthenticate",
        lambda w: w.newcomer,
        lambda w: url("account_reauthenticate"),
        lambda w: {"password": secret()},
    ),
    # Confirming one's identity again by a code sent by e-mail (allauth 65.22 and later).
    FormCase(
        "reauthenticate by code: ask for a code",
        "account_request_reauthentication_code",
        lambda w: w.verified_user,
        lambda w: url("account_request_reauthentication_code"),
        lambda w: {"recipient": email(w.verified_user.email)},
        watch=lambda w: [w.verified_user],
    ),
    FormCase(
        "reauthenticate by code: confirm the code",
        "account_confirm_reauthentication_code",
        lambda w: w.verified_user,
        lambda w: url("account_confirm_reauthentication_code"),
        lambda w: {
            "code": Field(
                st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=6, max_size=6)
            )
        },
        watch=lambda w: [w.verified_user],
        before=lambda w, client: client.post(
            url("account_request_reauthentication_code"), {"recipient": w.verified_user.email}
        ),
    ),
    FormCase(
        "log out",
        "account_logout",
        lambda w: w.newcomer,
        lambda w: url("account_logout"),
        lambda w: NO_FIELDS,
    ),
    # Erasure: a refusal must leave the person as they were; a valid one erases them (rolled
    # back after the example) and the coordinator's pages must still draw.
    FormCase(
        "erase my own data",
        "privacy:erase_me",
        lambda w: w.expert.user,
        lambda w: url("privacy:erase_me"),
        lambda w: {"password": secret(), "understood": flag()},
        watch=lambda w: [w.expert, w.expert.user],
        pages=lambda w, r: [
            (w.coordinator.user, url("experts:review_list") + "?show=all"),
            (w.coordinator.user, url("audit:log")),
        ],
    ),
    FormCase(
        "a coordinator erases an expert's data",
        "privacy:erase_expert",
        lambda w: w.coordinator.user,
        lambda w: url("privacy:erase_expert", w.expert.pk),
        lambda w: {"email": email(w.expert.user.email), "understood": flag()},
        watch=lambda w: [w.expert, w.expert.user],
        pages=lambda w, r: [
            (w.coordinator.user, url("experts:review_list") + "?show=all"),
            (w.coordinator.user, url("audit:log")),
        ],
    ),
]

# GET forms: filters and searches read from the query string.
QUERY_FORMS = [
    FormCase(
        "matching filters",
        "matching:order",
        lambda w: w.coordinator.user,
        lambda w: url("matching:order", w.matching_order.pk),
        lambda w: {
            "own": flag(),
            "kind": choice("", *ExpertKind.values),
            "region": choice("", w.vocabulary["region"].pk),
            "show": integer(1, 600),
        },
    ),
    FormCase(
        "catalogue filters",
        "experts:catalogue",
        lambda w: w.orderer.user,
        lambda w: url("experts:catalogue"),
        lambda w: {
            "q": text(100),
            "kind": choice("", *ExpertKind.values),
            "area": choice("", w.vocabulary["area"].pk),
            "topic": choice("", w.vocabulary["topic"].pk),
            "task_type": choice("", w.vocabulary["task_type"].pk),
            "language": choice("", w.vocabulary["language"].pk),
            "region": choice("", w.vocabulary["region"].pk),
            "remote": flag(),
            "organisation": choice("", w.organisation.pk),
            "page": integer(1, 3),
        },
    ),
    FormCase(
        "applications list search",
        "experts:review_list",
        lambda w: w.coordinator.user,
        lambda w: url("experts:review_list"),
        lambda w: {"show": choice("waiting", "all"), "q": text(100), "page": integer(1, 3)},
    ),
    FormCase(
        "orderers waiting: pages",
        "orderers:waiting",
        lambda w: w.coordinator.user,
        lambda w: url("orderers:waiting"),
        lambda w: {"page": integer(1, 3)},
    ),
    FormCase(
        "orders inbox tabs",
        "orders:inbox",
        lambda w: w.coordinator.user,
        lambda w: url("orders:inbox"),
        lambda w: {"state": choice(*OrderState.values), "page": integer(1, 3)},
    ),
    FormCase(
        "matching list length",
        "matching:order",
        lambda w: w.coordinator.user,
        lambda w: url("matching:order", w.matching_order.pk),
        lambda w: {"show": integer(1, 500)},
    ),
    FormCase(
        "fee list filters",
        "fees:list",
        lambda w: w.coordinator.user,
        lambda w: url("fees:list"),
        lambda w: {
            "status": choice("", *FeeStatus.values),
            "date_from": a_date(),
            "date_to": a_date(),
            "page": integer(1, 3),
        },
    ),
    FormCase(
        "public fee schedules by task type",
        "pages:ordering",
        lambda w: None,
        lambda w: url("pages:ordering"),
        lambda w: {"task_type": choice("", "lecture", "peer-group", "nonexistent")},
        anonymous=True,
    ),
    FormCase(
        "fee export filters, XLSX",
        "fees:export_xlsx",
        lambda w: w.coordinator.user,
        lambda w: url("fees:export_xlsx"),
        lambda w: {
            "status": choice("", *FeeStatus.values),
            "date_from": a_date(),
            "date_to": a_date(),
        },
    ),
    FormCase(
        "fee export filters",
        "fees:export",
        lambda w: w.coordinator.user,
        lambda w: url("fees:export"),
        lambda w: {
            "status": choice("", *FeeStatus.values),
            "date_from": a_date(),
            "date_to": a_date(),
        },
    ),
    FormCase(
        "outgoing e-mail tabs",
        "notifications:outbox",
        lambda w: w.coordinator.user,
        lambda w: url("notifications:outbox"),
        lambda w: {
            "state": choice("failed", "dead", "queued", "sending", "sent"),
            "page": integer(1, 3),
        },
    ),
    FormCase(
        "report period",
        "reports:index",
        lambda w: w.coordinator.user,
        lambda w: url("reports:index"),
        lambda w: {
            "kind": choice("", "month", "quarter", "year", "custom"),
            "year": integer(1990, 2110),
            "quarter": choice("", 1, 2, 3, 4),
            "month": choice("", *range(1, 13)),
            "start": a_date(),
            "end": a_date(),
            "organisation": integer(1, 2**40),
            "task_type": integer(1, 2**40),
            "expert_kind": choice("", "trained_expert", "experience_partner", "nobody"),
            "region": integer(1, 2**40),
        },
    ),
    FormCase(
        "report period, CSV",
        "reports:export_csv",
        lambda w: w.coordinator.user,
        lambda w: url("reports:export_csv"),
        lambda w: {
            "kind": choice("", "month", "quarter", "year", "custom"),
            "year": integer(1990, 2110),
            "quarter": choice("", 1, 2, 3, 4),
            "month": choice("", *range(1, 13)),
            "start": a_date(),
            "end": a_date(),
        },
    ),
    FormCase(
        "report period and filters, XLSX",
        "reports:export_xlsx",
        lambda w: w.coordinator.user,
        lambda w: url("reports:export_xlsx"),
        lambda w: {
            "kind": choice("", "month", "quarter", "year", "custom"),
            "year": integer(1990, 2110),
            "quarter": choice("", 1, 2, 3, 4),
            "month": choice("", *range(1, 13)),
            "start": a_date(),
            "end": a_date(),
            "organisation": integer(1, 2**40),
            "task_type": integer(1, 2**40),
            "expert_kind": choice("", "trained_expert", "experience_partner", "nobody"),
            "region": integer(1, 2**40),
        },
    ),
    FormCase(
        "yearly summary, PDF",
        "reports:summary_pdf",
        lambda w: w.coordinator.user,
        lambda w: url("reports:summary_pdf"),
        lambda w: {
            "kind": choice("", "month", "quarter", "year", "custom"),
            "year": integer(1990, 2110),
            "quarter": choice("", 1, 2, 3, 4),
            "month": choice("", *range(1, 13)),
            "start": a_date(),
            "end": a_date(),
            "organisation": integer(1, 2**40),
            "task_type": integer(1, 2**40),
            "expert_kind": choice("", "trained_expert", "experience_partner", "nobody"),
            "region": integer(1, 2**40),
        },
    ),
    FormCase(
        "audit log filters",
        "audit:log",
        lambda w: w.coordinator.user,
        lambda w: url("audit:log"),
        lambda w: {
            "action": choice("", "profile_viewed", "kind_granted"),
            "expert": integer(1, 10**6),
            "date_from": a_date(),
            "date_to": a_date(),
            "page": integer(1, 3),
        },
    ),
]

# Pages that read nothing from the request but their path (ids) and the session; GET only.
PAGES_WITHOUT_INPUT = {
    "pages:home",
    "pages:about",
    "pages:kinds",
    "pages:joining",
    "pages:privacy",
    "pages:dashboard",
    "calendars:settings",
    "notifications:notices",
    "notifications:open",
    "experts:me",
    "experts:review_detail",
    "experts:public_detail",
    "orders:list",
    "orders:detail",
    "orders:edit",  # only a redirect to the step where the draft continues
    "offers:mine",
    "opencalls:mine",
    "series:detail",
    "agreements:mine",
    "agreements:detail",
    "agreements:pdf",
    "agreements:kept_copy",
    "agreements:ics",
    "fees:overdue",
    "fees:mine",
    "fees:schedule",
    "followup:summary",
    "notifications:email",
    "privacy:my_data",
    "privacy:my_data_download",
    "privacy:erased",
    "privacy:expert_data",
    "privacy:expert_data_download",
}

# allauth URLs not fuzzed here, and why.
NOT_FUZZED = {
    "account_inactive": "a static page",
    "account_email_verification_sent": "a static page",
    "account_set_password": "users here always have a password; allauth redirects",
    "account_confirm_email": "the key is the only input: fuzzed in test_forged_keys_in_paths",
    "account_reset_password_done": "a static page",
    "account_reset_password_from_key_done": "a static page",
    "mfa_index": "a page of links",
    "mfa_authenticate": "needs a login stage in the session: tests/accounts/test_mfa.py",
    "mfa_reauthenticate": "needs a login stage in the session: tests/accounts/test_mfa.py",
    "mfa_activate_totp": "needs a fresh reauthentication: tests/accounts/test_mfa.py",
    "mfa_deactivate_totp": "needs an active authenticator: tests/accounts/test_mfa.py",
    "mfa_view_recovery_codes": "a page without input",
    "mfa_generate_recovery_codes": "needs an active authenticator: tests/accounts/test_mfa.py",
    "mfa_download_recovery_codes": "a download without input",
    "calendar_feed": "the secret in the path is the only input: tests/calendars/test_feed.py",
    "openid_connect_callback": "the provider's answer: fuzzed in tests/identity/test_fuzz_callback.py",
    "identity:signed_out": "the provider id in the path is the only input: tests/identity",
    "socialaccount_signup": "sign-ups are automatic or refused (tests/identity); allauth redirects",
    "socialaccount_login_cancelled": "a static page",
    "socialaccount_login_error": "a static page",
}


# Coverage ------------------------------------------------------------------------------------


def _project_url_names():
    names = {}

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern, prefix)
            elif pattern.name:
                view = getattr(pattern.callback, "view_class", None) or unwrap(pattern.callback)
                names[namespace + pattern.name] = view.__module__

    walk(get_resolver(), "")
    return {
        name: module
        for name, module in names.items()
        if module.startswith(("kokemustori.", "allauth."))
        and not name.startswith(("admin:", "api:"))
        and not module.startswith("kokemustori.api")
    }


def test_every_view_is_in_a_table():
    """A new URL must be fuzzed (FORMS, QUERY_FORMS) or listed as taking no input."""
    covered = {c.url_name for c in FORMS + QUERY_FORMS} | PAGES_WITHOUT_INPUT | set(NOT_FUZZED)
    missing = sorted(set(_project_url_names()) - covered)
    assert not missing, f"not in any fuzz table: {missing}"


def test_every_view_that_reads_post_is_fuzzed_with_post():
    """Cross-check the table against the source: a view whose code reads request.POST or
    checks for POST must be a row of FORMS."""
    posted = {c.url_name for c in FORMS}
    offenders = []
    for name, callback in _project_callbacks().items():
        source = _source(callback)
        if re.search(r"request\.POST|\"POST\"|require_POST", source) and name not in posted:
            offenders.append(name)
    assert not offenders, f"views reading POST without a fuzz row: {offenders}"


def _project_callbacks():
    out = {}

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern, prefix)
            elif pattern.name and not hasattr(pattern.callback, "view_class"):
                view = unwrap(pattern.callback)
                if view.__module__.startswith("kokemustori.") and "api" not in view.__module__:
                    out[namespace + pattern.name] = pattern.callback

    walk(get_resolver(), "")
    return out


def _source(callback):
    import inspect

    source = inspect.getsource(unwrap(callback))
    # Decorators are part of the wrapper chain; their names are enough.
    wrapped = callback
    while hasattr(wrapped, "__wrapped__"):
        source += " " + getattr(wrapped, "__qualname__", "")
        wrapped = wrapped.__wrapped__
    # One level of helpers called by name in the same module (e.g. _edit, _handle_support).
    module = inspect.getmodule(unwrap(callback))
    for helper in re.findall(r"\b(_\w+)\(request", source):
        function = getattr(module, helper, None)
        if function is not None:
            source += inspect.getsource(function)
    return source


# Fuzzing -------------------------------------------------------------------------------------


def _draw_url(data, case, w):
    target = case.url(w)
    if isinstance(target, st.SearchStrategy):
        return data.draw(target, label="url")
    return target


def _draw_fields(data, case, w):
    mode = data.draw(st.sampled_from(MODES), label="mode")
    values = draw_values(data, case.fields(w), mode)
    if mode in ("hostile", "empty"):
        values.update(data.draw(extra_fields(), label="extra fields"))
    return mode, values


def _forms_in(response):
    found = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if isinstance(value, BaseForm | BaseFormSet) and value.is_bound:
                found.append(value)
    return found


def _shows_an_error(response):
    for form in _forms_in(response):
        if isinstance(form, BaseFormSet):
            if form.total_error_count():
                return True
        elif form.errors:
            return True
    return has_error_message(response)


def _typed_values_kept(response, case, w, values, what):
    """Every typed value of a field the re-rendered page has an input for is shown again."""
    body = body_text(response)
    specs = case.fields(w)
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None or not spec.typed or not isinstance(value, str) or not value.strip():
            continue
        if f'name="{name}"' not in body:
            continue
        assert escaped(value) in body, f"{what}: the typed {name!r} was not kept"


def _check_pages(case, w, response, what):
    for item in case.pages(w, response) if not case.anonymous else []:
        if item is None or item[1] is None:
            continue
        viewer, page = item
        shown = client_for(viewer).get(page)
        assert_no_server_error(shown, f"{what} -> {page}")
        assert shown.status_code < 400, f"{what} -> {page}: {shown.status_code}"
        assert_escaped(shown, f"{what} -> {page}")


def fuzz_post(case: FormCase, w: World, data):
    """One example: draw where and what to post, then check."""
    target = _draw_url(data, case, w)
    mode, values = _draw_fields(data, case, w)
    response = check_post(case, w, target, values)
    event(f"{mode}: {response.status_code}{' refused' if _refused(response) else ''}")


def _refused(response):
    status = response.status_code
    return status >= 400 or (300 <= status < 400 and has_error_message(response))


def _audited_views(case, before):
    """For a row whose refusal shows the full profile again: the audit events written since
    `before` must all be that view, and then they are not counted as saved."""
    allowed = {Action.PROFILE_VIEWED} if case.shows_full_profile else set()
    if case.audited_refusal:
        allowed.add(case.audited_refusal)
    if not allowed:
        return ()
    new = AuditEvent.objects.order_by("-pk")[
        : counts()["audit.AuditEvent"] - before["counts"]["audit.AuditEvent"]
    ]
    assert {event.action for event in new} <= allowed
    return ("audit.AuditEvent",)


def check_post(case: FormCase, w: World, target: str, values: dict):
    """Post, then the checks of the module docstring."""
    actor = case.actor(w)
    watched = case.watch(w)
    with w.example():
        client = client_for(actor)
        case.before(w, client)
        before = snapshot(*watched)
        response = post_form(client, target, values)
        what = f"{case.name}: POST {target}"
        assert_no_server_error(response, what)
        assert_escaped(response, what)
        status = response.status_code
        refused = _refused(response)
        if status == 200:
            assert _shows_an_error(response) or case.anonymous, f"{what}: 200 without an error"
            _typed_values_kept(response, case, w, values, what)
            if not case.saves_when_rerendered:
                assert_unchanged(before, watched, what)
        elif refused:
            assert_unchanged(before, watched, what, ignore=_audited_views(case, before))
        else:
            _check_pages(case, w, response, what)
        return response


@pytest.mark.parametrize("case", FORMS, ids=[c.name for c in FORMS])
def test_fuzz_form(case, world):
    @fuzz_settings(case.examples)
    @given(data=st.data())
    def examples(data):
        fuzz_post(case, world, data)

    examples()


# What the fuzzing found, kept as fixed examples --------------------------------------------

CASES = {case.name: case for case in FORMS}
HUGE_ID = "99999999999999999999999"


def _profile(w, **changes):
    values = {
        "first_name": "Aino",
        "last_name": "Expert",
        "training-TOTAL_FORMS": "0",
        "training-INITIAL_FORMS": "0",
    }
    return {**values, **changes}


FOUND = [
    # (row, values, text the answer must carry; None: it only must not fail)
    ("language switch", lambda w: {"language": "en", "next": "http://["}, None),
    ("fee approve", lambda w: {"next": "'><img src=x onerror=alert(1)>"}, None),
    ("fee approve", lambda w: {"next": "fees:list"}, None),
    (
        "planning meeting",
        lambda w: {"held_at": "0001-01-01T00:00", "notes": "held"},
        "Give the date and time, for example",
    ),
    (
        "order form, step 1 of a new order",
        lambda w: {"title": "Talk", "starts_at": "0001-01-01T00:00"},
        "Enter a valid date/time.",
    ),
    (
        "order form, step debrief of a draft",
        lambda w: {"debrief_at": "9999-12-31T23:59"},
        "Enter a valid date/time.",
    ),
    (
        "order form, step role of a draft",
        lambda w: {"event_minutes": "9" * 40},
        "hours and minutes (1 h 30 min)",
    ),
    (
        "order form, step role of a draft",
        lambda w: {"event_minutes": "400 h"},
        "less than or equal to 20160",
    ),
    (
        "debrief (expert, whole)",
        lambda w: {"held_at": "0001-01-01 00:00", "held_by": "Kaisa"},
        "Give the date and time, for example",
    ),
    (
        "expert profile edit with training formset",
        lambda w: _profile(w, languages=[HUGE_ID]),
        "is not a valid value",
    ),
    (
        "joining: application with training formset",
        lambda w: {**_profile(w, areas_own=HUGE_ID), "organisation": w.organisation.pk},
        "is not a valid value",
    ),
    (
        "review: grant or refuse a kind",
        lambda w: {"decision": "refuse", "reason": "No\x00"},
        "Null characters are not allowed.",
    ),
    (
        "review: grant or refuse a kind",
        lambda w: {"decision": "refuse", "reason": "x" * 2001},
        "at most 2000 characters",
    ),
    (
        "review: verify or reject a training",
        lambda w: {"decision": "reject", "reason": "\x00"},
        "Null characters are not allowed.",
    ),
]


@pytest.mark.parametrize(
    "name, values, expected", FOUND, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(FOUND)]
)
def test_found_by_fuzzing(world, name, values, expected):
    case = CASES[name]
    response = check_post(case, world, case.url(world), values(world))
    if expected is not None:
        assert _refused(response) or response.status_code == 200
        shown = html.unescape(body_text(response)) + " ".join(
            str(m) for m in request_messages(response)
        )
        assert expected in shown


def test_a_step_with_a_reason_that_cannot_be_stored_is_refused(world):
    """Was a 500 on PostgreSQL (NUL), and a reason over 2000 characters was cut silently."""
    order = world.submitted_order
    for reason in ("Add the room\x00", "x" * 2001):
        case = CASES["order steps (workflow), coordinator"]
        response = check_post(
            case, world, url("orders:step", order.pk, "ask_changes"), {"reason": reason}
        )
        assert response.status_code == 400 and has_error_message(response)
        assert escaped(reason.replace("\x00", "")) in body_text(response)  # kept
        order.refresh_from_db()
        assert order.state == OrderState.SUBMITTED


@pytest.mark.parametrize(
    "name, query, expected",
    [
        ("applications list search", "show=all&q=%00", "Null characters are not allowed."),
        ("audit log filters", f"expert={HUGE_ID}", "Select a valid choice"),
    ],
)
def test_query_found_by_fuzzing(world, name, query, expected):
    case = {c.name: c for c in QUERY_FORMS}[name]
    target = case.url(world)
    actor = case.actor(world)
    with world.example():
        response = client_for(actor).get(f"{target}?{query}")
    assert_no_server_error(response, name)
    assert response.status_code == 200
    assert expected in html.unescape(body_text(response))


def fuzz_get(case: FormCase, w: World, data):
    target = case.url(w)
    mode, values = _draw_fields(data, case, w)
    actor = case.actor(w)
    with w.example():
        client = client_for(actor)
        before = snapshot()
        query = urlencode(
            {
                k: [
                    str(x).encode("utf-8", "surrogatepass")
                    for x in (v if isinstance(v, list) else [v])
                ]
                for k, v in values.items()
            },
            doseq=True,
        )
        response = client.get(f"{target}?{query}")
        what = f"{case.name}: GET {target}?{query[:200]}"
        assert_no_server_error(response, what)
        assert_escaped(response, what)
        event(f"{mode}: {response.status_code}")
        if case.url_name not in ("fees:export", "fees:export_xlsx"):  # exports are audited
            assert_unchanged(before, [], what)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            body = body_text(response)
            for name in ("q",):
                if isinstance(values.get(name), str) and f'name="{name}"' in body:
                    assert escaped(values[name]) in body, f"{what}: the search was not kept"


@pytest.mark.parametrize("case", QUERY_FORMS, ids=[c.name for c in QUERY_FORMS])
def test_fuzz_query_form(case, world):
    @fuzz_settings(case.examples)
    @given(data=st.data())
    def examples(data):
        fuzz_get(case, world, data)

    examples()


# Hostile ids and keys in paths ---------------------------------------------------------------


@given(
    key=st.one_of(hostile_text(), st.sampled_from(WRONG_TYPES)),
    name=st.sampled_from(("account_confirm_email", "account_reset_password_from_key")),
    method=st.sampled_from(("get", "post")),
)
@fuzz_settings(15)
def test_forged_keys_in_paths(db, key, name, method):
    raw = quote(key.encode("utf-8", "surrogatepass"), safe="")
    path = {
        "account_confirm_email": f"/en/accounts/confirm-email/{raw}/",
        "account_reset_password_from_key": f"/en/accounts/password/reset/key/{raw}-{raw}/",
    }[name]
    with rolled_back():
        response = getattr(client_for(), method)(path)
        assert_no_server_error(response, path)
        assert_escaped(response, path)


@pytest.mark.parametrize(
    "make_url",
    [
        lambda n: f"/en/orders/{n}/",
        lambda n: f"/en/orders/{n}/edit/",
        lambda n: f"/en/orders/{n}/form/what/",
        lambda n: f"/en/orders/{n}/check/",
        lambda n: f"/en/experts/review/{n}/",
        lambda n: f"/en/experts/catalogue/{n}/",
        lambda n: f"/en/agreements/{n}/pdf/",
        lambda n: f"/en/agreements/{n}/kept/{n}/fi.pdf",
        lambda n: f"/en/followup/orders/{n}/debrief/{n}/",
        lambda n: f"/en/matching/{n}/",
        lambda n: f"/en/fees/{n}/expenses/",
    ],
)
@given(number=st.one_of(st.integers(0, 2**70), st.sampled_from((2**31, 2**63 - 1, 2**63, 10**40))))
@fuzz_settings(6)
def test_huge_ids_in_paths(world, make_url, number):
    target = make_url(number)
    with world.example():
        response = client_for(world.coordinator.user).get(target)
        assert_no_server_error(response, target)
        assert response.status_code in (302, 403, 404), (target, response.status_code)


def test_pages_without_input_show_stored_markup_escaped(world):
    """Every page that only shows stored data, with hostile markup stored in every text the
    page shows (set directly, as an older version or the admin could have stored it)."""
    payload = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
    agreement = world.accepted_agreement
    order = agreement.order
    Order.objects.filter(pk=order.pk).update(
        **{
            f.name: payload[: f.max_length]
            for f in Order._meta.get_fields()
            if getattr(f, "get_internal_type", lambda: "")() in ("CharField", "TextField")
            and f.name not in ("state", "audience", "fee_choice")
        }
    )
    expert = world.expert
    expert.bio = expert.experience_story = expert.pseudonym = payload
    expert.uses_pseudonym = expert.show_story = True
    expert.save()
    expert.user.first_name = expert.user.last_name = payload
    expert.user.save()
    pages = [
        (world.orderer.user, url("pages:dashboard")),
        (world.orderer.user, url("orders:list")),
        (world.orderer.user, url("orders:detail", order.pk)),
        (world.coordinator.user, url("orders:detail", order.pk)),
        (world.coordinator.user, url("experts:review_detail", expert.pk)),
        (world.orderer.user, url("experts:public_detail", expert.pk)),
        (world.expert.user, url("experts:me")),
        (world.expert.user, url("offers:mine")),
        (world.expert.user, url("agreements:mine")),
        (world.expert.user, url("agreements:detail", agreement.pk)),
        (world.coordinator.user, url("fees:overdue")),
        (world.expert.user, url("fees:mine")),
        (world.coordinator.user, url("followup:summary")),
    ]
    for viewer, page in pages:
        response = client_for(viewer).get(page)
        assert_no_server_error(response, page)
        assert response.status_code == 200, page
        assert_escaped(response, page)


def test_the_tables_name_real_urls():
    names = _project_url_names()
    for case in FORMS + QUERY_FORMS:
        assert case.url_name in names, case.name
    for name in PAGES_WITHOUT_INPUT | set(NOT_FUZZED):
        assert name in names, name
    assert urlsplit(url("experts:apply")).path.startswith("/en/")
