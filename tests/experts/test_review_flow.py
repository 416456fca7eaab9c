"""A coordinator reviews an application: full profile, training verification, kind decisions."""

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kokemustori.audit.models import Action, AuditEvent
from kokemustori.experts.models import ExpertStatus, KindApplication, TrainingRecord
from kokemustori.kinds import ExpertKind, TrainingType
from tests.factories import (
    CoordinatorFactory,
    ExpertFactory,
    KindApplicationFactory,
    OrdererFactory,
    OrganisationFactory,
    TrainingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def en_url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def page(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Recovery House")


@pytest.fixture
def coordinator(organisation):
    return CoordinatorFactory(organisation=organisation)


@pytest.fixture
def expert(organisation):
    return ExpertFactory(
        organisation=organisation,
        status=ExpertStatus.SUBMITTED,
        user__first_name="Ville",
        user__last_name="Reviewable",
        phone="044 555 0101",
    )


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_login(coordinator.user)
    return client


def apply_for(expert, kind):
    return KindApplicationFactory(expert=expert, kind=kind)


def verify(client, expert, training):
    return client.post(
        en_url("experts:review_training", expert.pk, training.pk), {"decision": "verify"}
    )


def decide(client, expert, application, decision, reason="", follow=False):
    return client.post(
        en_url("experts:decide_kind", expert.pk, application.pk),
        {"decision": decision, "reason": reason},
        follow=follow,
    )


class TestOpeningTheFullProfile:
    def test_own_coordinator_sees_the_full_profile_and_the_read_is_logged(
        self, as_coordinator, coordinator, expert
    ):
        response = as_coordinator.get(en_url("experts:review_detail", expert.pk))
        assert response.status_code == 200
        text = page(response)
        assert "Ville Reviewable" in text
        assert expert.user.email in text
        assert "044 555 0101" in text
        assert "PRIVATE-STORY" in text
        event = AuditEvent.objects.get(action=Action.PROFILE_VIEWED)
        assert event.actor == coordinator.user
        assert event.expert == expert
        assert event.organisation == expert.organisation

    def test_every_read_is_logged(self, as_coordinator, expert):
        for _ in range(2):
            as_coordinator.get(en_url("experts:review_detail", expert.pk))
        assert AuditEvent.objects.filter(action=Action.PROFILE_VIEWED, expert=expert).count() == 2

    def test_the_review_list_shows_waiting_applications(self, as_coordinator, expert):
        apply_for(expert, ExpertKind.DEVELOPER_CLIENT)
        response = as_coordinator.get(en_url("experts:review_list"))
        assert response.status_code == 200
        assert en_url("experts:review_detail", expert.pk) in page(response)


class TestTrainingVerification:
    def test_verify_records_who_and_when(self, as_coordinator, coordinator, expert):
        training = TrainingFactory(expert=expert)
        response = verify(as_coordinator, expert, training)
        assert response.status_code == 302
        assert response.url == en_url("experts:review_detail", expert.pk)
        training.refresh_from_db()
        assert training.status == TrainingRecord.VERIFIED
        assert training.reviewed_by == coordinator.user
        assert training.reviewed_at is not None
        assert AuditEvent.objects.filter(
            action=Action.TRAINING_VERIFIED, actor=coordinator.user, expert=expert
        ).exists()

    def test_not_verifying_needs_a_note(self, as_coordinator, expert):
        training = TrainingFactory(expert=expert)
        response = as_coordinator.post(
            en_url("experts:review_training", expert.pk, training.pk),
            {"decision": "reject", "reason": ""},
            follow=True,
        )
        assert "Say why the training cannot be verified." in page(response)
        training.refresh_from_db()
        assert training.status == TrainingRecord.PENDING
        assert training.reviewed_by is None

    def test_not_verifying_with_a_note(self, as_coordinator, coordinator, expert):
        training = TrainingFactory(expert=expert)
        as_coordinator.post(
            en_url("experts:review_training", expert.pk, training.pk),
            {"decision": "reject", "reason": "No certificate."},
        )
        training.refresh_from_db()
        assert training.status == TrainingRecord.REJECTED
        assert training.review_note == "No certificate."
        assert training.reviewed_by == coordinator.user

    def test_a_training_of_another_expert_is_404(self, as_coordinator, expert, organisation):
        other = TrainingFactory(expert=ExpertFactory(organisation=OrganisationFactory()))
        response = verify(as_coordinator, expert, other)
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.status == TrainingRecord.PENDING


class TestGranting:
    def test_grant_developer_client_records_who_when_and_activates(
        self, as_coordinator, coordinator, expert
    ):
        application = apply_for(expert, ExpertKind.DEVELOPER_CLIENT)
        response = decide(as_coordinator, expert, application, "grant")
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == KindApplication.GRANTED
        assert application.decided_by == coordinator.user
        assert application.decided_at is not None
        assert application.reason, "a granted kind carries a reason the expert can read"
        expert.refresh_from_db()
        assert expert.status == ExpertStatus.ACTIVE
        assert AuditEvent.objects.filter(
            action=Action.KIND_GRANTED, actor=coordinator.user, expert=expert
        ).exists()

    def test_grant_with_a_written_reason_keeps_it(self, as_coordinator, expert):
        application = apply_for(expert, ExpertKind.DEVELOPER_CLIENT)
        decide(as_coordinator, expert, application, "grant", reason="  Met at the interview. ")
        application.refresh_from_db()
        assert application.reason == "Met at the interview."

    def test_verify_then_grant_trained_expert(self, as_coordinator, coordinator, expert):
        training = TrainingFactory(
            expert=expert,
            hours=Decimal("50"),
            start_date=date(2025, 1, 10),
            end_date=date(2025, 5, 10),
        )
        application = apply_for(expert, ExpertKind.TRAINED_EXPERT)
        verify(as_coordinator, expert, training)
        response = decide(as_coordinator, expert, application, "grant", follow=True)
        assert "Granted: trained experience expert." in page(response)
        application.refresh_from_db()
        assert application.status == KindApplication.GRANTED
        assert application.training == training
        assert application.decided_by == coordinator.user
        expert.refresh_from_db()
        assert expert.status == ExpertStatus.ACTIVE

    @pytest.mark.parametrize(
        ("hours", "start", "end", "why"),
        [
            ("44", date(2025, 1, 10), date(2025, 6, 10), "The training has 44 hours"),
            ("49.5", date(2025, 1, 10), date(2025, 6, 10), "The training has 49,5 hours"),
            ("50", date(2025, 1, 10), date(2025, 4, 10), "spread over at least 4 months"),
            ("50", date(2025, 1, 15), date(2025, 5, 14), "spread over at least 4 months"),
        ],
        ids=["44h", "49.5h-over-5-months", "50h-over-3-months", "50h-one-day-short-of-4-months"],
    )
    def test_trained_expert_on_too_little_verified_training_is_refused(
        self, as_coordinator, expert, hours, start, end, why
    ):
        training = TrainingFactory(
            expert=expert, hours=Decimal(hours), start_date=start, end_date=end
        )
        application = apply_for(expert, ExpertKind.TRAINED_EXPERT)
        verify(as_coordinator, expert, training)
        training.refresh_from_db()
        assert training.status == TrainingRecord.VERIFIED

        response = decide(as_coordinator, expert, application, "grant", follow=True)

        assert why in page(response)
        application.refresh_from_db()
        assert application.status == KindApplication.APPLIED
        assert application.decided_by is None
        assert application.decided_at is None
        expert.refresh_from_db()
        assert expert.status == ExpertStatus.SUBMITTED
        assert not AuditEvent.objects.filter(action=Action.KIND_GRANTED).exists()

    @pytest.mark.parametrize(
        ("start", "end"),
        [(date(2025, 1, 10), date(2025, 5, 10)), (date(2025, 1, 15), date(2025, 5, 15))],
    )
    def test_trained_expert_on_50_hours_over_4_months_is_granted(
        self, as_coordinator, expert, start, end
    ):
        training = TrainingFactory(
            expert=expert, hours=Decimal("50"), start_date=start, end_date=end
        )
        application = apply_for(expert, ExpertKind.TRAINED_EXPERT)
        verify(as_coordinator, expert, training)
        decide(as_coordinator, expert, application, "grant")
        application.refresh_from_db()
        assert application.status == KindApplication.GRANTED

    def test_pending_training_does_not_qualify(self, as_coordinator, expert):
        TrainingFactory(expert=expert, hours=Decimal("80"))
        application = apply_for(expert, ExpertKind.TRAINED_EXPERT)
        response = decide(as_coordinator, expert, application, "grant", follow=True)
        assert "No verified training qualifies for this kind of expert." in page(response)
        application.refresh_from_db()
        assert application.status == KindApplication.APPLIED
        expert.refresh_from_db()
        assert expert.status == ExpertStatus.SUBMITTED

    def test_a_refused_grant_keeps_what_the_coordinator_typed(self, as_coordinator, expert):
        TrainingFactory(expert=expert, hours=Decimal("80"))
        application = apply_for(expert, ExpertKind.TRAINED_EXPERT)
        typed = "Interview held 3.5.; references <checked>."
        response = decide(as_coordinator, expert, application, "grant", reason=typed)
        assert response.status_code == 400
        body = page(response)
        assert "No verified training qualifies for this kind of expert." in body
        raw = response.content.decode()
        assert f">{html.escape(typed, quote=False)}</textarea>" in raw.replace("&#x27;", "'")
        assert f'id="kind-reason-{application.pk}" name="reason"' in raw
        assert 'aria-invalid="true"' in raw
        application.refresh_from_db()
        assert application.status == KindApplication.APPLIED

    def test_a_too_long_note_is_kept_and_explained(self, as_coordinator, expert):
        training = TrainingFactory(expert=expert, hours=Decimal("80"))
        note = "n" * 2001
        response = as_coordinator.post(
            en_url("experts:review_training", expert.pk, training.pk),
            {"decision": "reject", "reason": note},
        )
        assert response.status_code == 400
        assert note in page(response)
        assert "at most 2000 characters" in page(response)
        training.refresh_from_db()
        assert training.status == TrainingRecord.PENDING

    def test_rejected_training_does_not_qualify(self, as_coordinator, expert):
        training = TrainingFactory(expert=expert, hours=Decimal("80"))
        as_coordinator.post(
            en_url("experts:review_training", expert.pk, training.pk),
            {"decision": "reject", "reason": "Could not confirm."},
        )
        application = apply_for(expert, ExpertKind.TRAINED_EXPERT)
        decide(as_coordinator, expert, application, "grant")
        application.refresh_from_db()
        assert application.status == KindApplication.APPLIED

    def test_wrong_kind_of_training_does_not_qualify(self, as_coordinator, expert):
        training = TrainingFactory(
            expert=expert, training_type=TrainingType.PARTNER, hours=Decimal("80")
        )
        verify(as_coordinator, expert, training)
        application = apply_for(expert, ExpertKind.TRAINED_EXPERT)
        decide(as_coordinator, expert, application, "grant")
        application.refresh_from_db()
        assert application.status == KindApplication.APPLIED

    def test_experience_actor_on_a_full_expert_training_of_45_hours(self, as_coordinator, expert):
        training = TrainingFactory(
            expert=expert,
            training_type=TrainingType.EXPERT,
            hours=Decimal("45"),
            start_date=date(2025, 1, 10),
            end_date=date(2025, 2, 10),
        )
        verify(as_coordinator, expert, training)
        actor = apply_for(expert, ExpertKind.EXPERIENCE_ACTOR)
        trained = apply_for(expert, ExpertKind.TRAINED_EXPERT)
        decide(as_coordinator, expert, actor, "grant")
        decide(as_coordinator, expert, trained, "grant")
        actor.refresh_from_db()
        trained.refresh_from_db()
        assert actor.status == KindApplication.GRANTED
        assert trained.status == KindApplication.APPLIED


class TestRefusing:
    def test_refusing_without_a_reason_changes_nothing(self, as_coordinator, expert):
        application = apply_for(expert, ExpertKind.DEVELOPER_CLIENT)
        response = decide(as_coordinator, expert, application, "refuse", reason="   ", follow=True)
        assert response.status_code == 400
        assert "Write the reason for the refusal." in page(response)
        application.refresh_from_db()
        assert application.status == KindApplication.APPLIED
        assert application.decided_by is None
        assert application.decided_at is None
        assert application.reason == ""
        expert.refresh_from_db()
        assert expert.status == ExpertStatus.SUBMITTED
        assert not AuditEvent.objects.filter(action=Action.KIND_REFUSED).exists()

    def test_refusing_with_a_reason_records_reason_who_and_when(
        self, as_coordinator, coordinator, expert
    ):
        application = apply_for(expert, ExpertKind.DEVELOPER_CLIENT)
        decide(as_coordinator, expert, application, "refuse", reason="Not now, maybe next year.")
        application.refresh_from_db()
        assert application.status == KindApplication.REFUSED
        assert application.reason == "Not now, maybe next year."
        assert application.decided_by == coordinator.user
        assert application.decided_at is not None
        expert.refresh_from_db()
        assert expert.status == ExpertStatus.REFUSED
        assert AuditEvent.objects.filter(
            action=Action.KIND_REFUSED, actor=coordinator.user, expert=expert
        ).exists()

    def test_one_refused_and_one_granted_leaves_the_expert_active(self, as_coordinator, expert):
        refused = apply_for(expert, ExpertKind.TRAINED_EXPERT)
        granted = apply_for(expert, ExpertKind.DEVELOPER_CLIENT)
        decide(as_coordinator, expert, refused, "refuse", reason="No training yet.")
        expert.refresh_from_db()
        assert expert.status == ExpertStatus.SUBMITTED
        decide(as_coordinator, expert, granted, "grant")
        expert.refresh_from_db()
        assert expert.status == ExpertStatus.ACTIVE


class TestOutsiders:
    """Only coordinators of the expert's own organisation see or change the full profile."""

    @pytest.fixture
    def application(self, expert):
        return apply_for(expert, ExpertKind.DEVELOPER_CLIENT)

    @pytest.fixture
    def training(self, expert):
        return TrainingFactory(expert=expert)

    def assert_nothing_changed(self, expert, application, training):
        application.refresh_from_db()
        training.refresh_from_db()
        expert.refresh_from_db()
        assert application.status == KindApplication.APPLIED
        assert application.decided_by is None
        assert training.status == TrainingRecord.PENDING
        assert expert.status == ExpertStatus.SUBMITTED
        assert not AuditEvent.objects.exists()

    def try_everything(self, client, expert, application, training):
        return [
            client.get(en_url("experts:review_detail", expert.pk)),
            verify(client, expert, training),
            decide(client, expert, application, "grant"),
            decide(client, expert, application, "refuse", reason="Because."),
        ]

    def test_coordinator_of_another_organisation_gets_404(
        self, client, expert, application, training
    ):
        stranger = CoordinatorFactory(organisation=OrganisationFactory())
        client.force_login(stranger.user)
        responses = self.try_everything(client, expert, application, training)
        assert [r.status_code for r in responses] == [404, 404, 404, 404]
        self.assert_nothing_changed(expert, application, training)

    def test_inactive_coordinator_post_gets_404(
        self, client, expert, application, training, organisation
    ):
        former = CoordinatorFactory(organisation=organisation, is_active=False)
        client.force_login(former.user)
        responses = self.try_everything(client, expert, application, training)
        assert [r.status_code for r in responses] == [404, 404, 404, 404]
        self.assert_nothing_changed(expert, application, training)

    def test_orderer_is_refused(self, client, expert, application, training):
        client.force_login(OrdererFactory().user)
        responses = self.try_everything(client, expert, application, training)
        assert all(r.status_code in (403, 404) for r in responses)
        assert client.get(en_url("experts:review_list")).status_code == 403
        self.assert_nothing_changed(expert, application, training)

    def test_superuser_who_is_not_a_coordinator_does_not_see_the_full_profile(
        self, client, expert, application, training
    ):
        admin = UserFactory(is_superuser=True, is_staff=True)
        client.force_login(admin)
        responses = self.try_everything(client, expert, application, training)
        assert all(r.status_code in (403, 404) for r in responses)
        assert "PRIVATE-STORY" not in page(responses[0])
        self.assert_nothing_changed(expert, application, training)

    def test_the_expert_cannot_review_themselves(self, client, expert, application, training):
        client.force_login(expert.user)
        responses = self.try_everything(client, expert, application, training)
        assert all(r.status_code in (403, 404) for r in responses)
        self.assert_nothing_changed(expert, application, training)

    def test_anonymous_is_sent_to_log_in(self, client, expert, application, training):
        responses = self.try_everything(client, expert, application, training)
        assert all(r.status_code == 302 for r in responses)
        assert all(r.url.startswith(en_url("account_login")) for r in responses)
        self.assert_nothing_changed(expert, application, training)

    def test_review_list_of_another_organisation_does_not_show_the_expert(
        self, client, expert, application
    ):
        stranger = CoordinatorFactory(organisation=OrganisationFactory())
        client.force_login(stranger.user)
        for show in ("waiting", "all"):
            response = client.get(en_url("experts:review_list"), {"show": show})
            assert response.status_code == 200
            assert "Reviewable" not in page(response)
            assert en_url("experts:review_detail", expert.pk) not in page(response)

    def test_get_on_a_decision_endpoint_changes_nothing(
        self, as_coordinator, expert, application, training
    ):
        response = as_coordinator.get(
            en_url("experts:decide_kind", expert.pk, application.pk), {"decision": "grant"}
        )
        assert response.status_code == 405
        application.refresh_from_db()
        assert application.status == KindApplication.APPLIED


class TestDrafts:
    """A draft has not been sent and carries no consent: it is not reviewed, nor activated."""

    def test_a_draft_cannot_be_opened_or_granted(self, as_coordinator, organisation):
        draft = ExpertFactory(
            organisation=organisation,
            status=ExpertStatus.DRAFT,
            submitted_at=None,
            consent_given_at=None,
        )
        application = apply_for(draft, ExpertKind.DEVELOPER_CLIENT)

        assert as_coordinator.get(en_url("experts:review_detail", draft.pk)).status_code == 404
        assert decide(as_coordinator, draft, application, "grant").status_code == 404

        application.refresh_from_db()
        draft.refresh_from_db()
        assert application.status == KindApplication.APPLIED
        assert draft.status == ExpertStatus.DRAFT
        assert not AuditEvent.objects.filter(action=Action.PROFILE_VIEWED).exists()


def test_the_applications_list_pages_keep_the_search(as_coordinator, organisation):
    for number in range(26):
        ExpertFactory(
            organisation=organisation,
            status=ExpertStatus.SUBMITTED,
            user__last_name=f"Pagetest{number:02}",
        )
    response = as_coordinator.get(en_url("experts:review_list"), {"show": "all", "q": "Pagetest"})
    assert "?show=all&amp;q=Pagetest&amp;page=2" in response.content.decode()


def test_only_open_decisions_show_their_buttons_a_decided_one_folds_its_change(
    as_coordinator, expert
):
    granted = KindApplicationFactory(
        expert=expert, kind=ExpertKind.DEVELOPER_CLIENT, status=KindApplication.GRANTED
    )
    waiting = KindApplicationFactory(expert=expert, kind=ExpertKind.EXPERIENCE_ACTOR)
    text = page(as_coordinator.get(en_url("experts:review_detail", expert.pk)))
    granted_form = en_url("experts:decide_kind", expert.pk, granted.pk)
    waiting_form = en_url("experts:decide_kind", expert.pk, waiting.pk)
    folded = text.split('<details class="change-decision">')
    assert len(folded) == 2  # one decided application, folded behind "Change this decision"
    assert "Change this decision" in folded[1]
    assert granted_form in folded[1].split("</details>")[0]
    assert waiting_form not in folded[1].split("</details>")[0]
    assert waiting_form in text


def test_the_applicant_sees_who_decides_and_the_usual_time(client, organisation, coordinator):
    coordinator.user.first_name, coordinator.user.last_name = "Kaisa", "Koordinaattori"
    coordinator.user.save()
    applicant = ExpertFactory(organisation=organisation, status=ExpertStatus.SUBMITTED)
    KindApplicationFactory(expert=applicant, kind=ExpertKind.EXPERIENCE_ACTOR)
    now = timezone.now()
    for days in (2, 5, 9):  # decided applications of others: the median is 5 days
        other = KindApplicationFactory(
            expert=ExpertFactory(organisation=organisation), status=KindApplication.GRANTED
        )
        KindApplication.objects.filter(pk=other.pk).update(
            applied_at=now - timedelta(days=days + 1), decided_at=now - timedelta(days=1)
        )
    client.force_login(applicant.user)
    text = page(client.get(en_url("experts:me")))
    assert (
        "Your application is decided by the coordinators of Recovery House: "
        "Kaisa Koordinaattori." in text
    )
    assert "It usually takes about 5 days." in text


def test_with_few_decisions_no_usual_time_is_promised(client, organisation, coordinator):
    applicant = ExpertFactory(organisation=organisation, status=ExpertStatus.SUBMITTED)
    KindApplicationFactory(expert=applicant, kind=ExpertKind.EXPERIENCE_ACTOR)
    client.force_login(applicant.user)
    text = page(client.get(en_url("experts:me")))
    assert "Your application is decided by the coordinators of Recovery House" in text
    assert "It usually takes" not in text


def test_the_kind_just_applied_for_is_not_offered_again(client, organisation):
    expert = ExpertFactory(organisation=organisation, kinds=[ExpertKind.DEVELOPER_CLIENT])
    KindApplicationFactory(expert=expert, kind=ExpertKind.EXPERIENCE_ACTOR)
    KindApplicationFactory(
        expert=expert, kind=ExpertKind.EXPERIENCE_PARTNER, status=KindApplication.REFUSED
    )
    client.force_login(expert.user)
    text = page(client.get(en_url("experts:me")))
    form = text.split('action="/en/experts/me/kinds/"')[1].split("</form>")[0]
    assert 'value="experience_actor"' not in form  # waiting for a decision
    assert 'value="developer_client"' not in form  # held
    assert 'value="experience_partner"' in form  # refused: may apply again
    assert 'value="trained_expert"' in form
    response = client.post(en_url("experts:apply_for_kind"), {"kind": "experience_actor"})
    assert response.status_code == 302
    assert KindApplication.objects.filter(expert=expert, kind="experience_actor").count() == 1
