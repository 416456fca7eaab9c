"""Joining through the views: the application form, drafts, sending, and bad input."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from kokemustori.audit.models import Action, AuditEvent
from kokemustori.experts.models import Expert, ExpertStatus, KindApplication, TrainingRecord
from kokemustori.kinds import ExpertKind, TrainingType
from tests.factories import (
    AreaFactory,
    LanguageFactory,
    OrganisationFactory,
    RegionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def en_url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def empty_training_rows(total=1):
    return {
        "training-TOTAL_FORMS": str(total),
        "training-INITIAL_FORMS": "0",
        "training-MIN_NUM_FORMS": "0",
        "training-MAX_NUM_FORMS": "10",
    }


def training_row(index=0, **values):
    row = {
        "training_type": TrainingType.EXPERT,
        "organiser": "Mielenterveysseura",
        "hours": "60",
        "start_date": "2025-01-10",
        "end_date": "2025-06-10",
        **values,
    }
    return {f"training-{index}-{key}": value for key, value in row.items()}


@pytest.fixture
def vocabulary():
    return {
        "organisation": OrganisationFactory(name="Recovery House"),
        "language": LanguageFactory(slug="fi", name="Finnish"),
        "region": RegionFactory(name="Pirkanmaa"),
        "area": AreaFactory(name="Mental health"),
        "topic": TopicFactory(name="Recovery"),
        "other_topic": TopicFactory(name="Stigma"),
    }


@pytest.fixture
def applicant(client):
    user = UserFactory(first_name="Aino", last_name="Applicant", language="en")
    client.force_login(user)
    return user


def complete_data(vocabulary, **overrides):
    """Everything a complete application for a developer client needs (no training)."""
    data = {
        "organisation": str(vocabulary["organisation"].pk),
        "first_name": "Aino",
        "last_name": "Applicant",
        "phone": "040 123 4567",
        "municipality": "Tampere",
        "kinds": [ExpertKind.DEVELOPER_CLIENT],
        "areas_own": [str(vocabulary["area"].pk)],
        "topics": [str(vocabulary["topic"].pk)],
        "languages": [str(vocabulary["language"].pk)],
        "regions": [str(vocabulary["region"].pk)],
        "bio": "I talk about how peer support helped me.",
        "experience_story": "My own story.",
        "first_name_public": "on",
        "show_topics": "on",
        "consent": "on",
        **empty_training_rows(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def page(response):
    return html.unescape(response.content.decode())


class TestLoginRequired:
    def test_anonymous_user_is_sent_to_log_in(self, client):
        url = en_url("experts:apply")
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(en_url("account_login"))
        assert f"next={url}" in response.url

    def test_anonymous_post_creates_nothing(self, client, vocabulary):
        response = client.post(en_url("experts:apply"), complete_data(vocabulary, submit="1"))
        assert response.status_code == 302
        assert not Expert.objects.exists()


class TestSending:
    def test_the_empty_form_opens(self, client, applicant, vocabulary):
        response = client.get(en_url("experts:apply"))
        assert response.status_code == 200
        assert 'name="training-TOTAL_FORMS"' in page(response)
        assert "Recovery House" in page(response)

    def test_complete_application_with_training_is_sent(self, client, applicant, vocabulary):
        data = complete_data(
            vocabulary,
            kinds=[ExpertKind.DEVELOPER_CLIENT, ExpertKind.TRAINED_EXPERT],
            regions=None,
            works_remotely="on",
            submit="1",
            **training_row(hours="60", start_date="2025-01-10", end_date="2025-06-10"),
        )
        response = client.post(en_url("experts:apply"), data)

        assert response.status_code == 302
        assert response.url == en_url("experts:me")
        expert = Expert.objects.get(user=applicant)
        assert expert.status == ExpertStatus.SUBMITTED
        assert expert.organisation == vocabulary["organisation"]
        assert expert.submitted_at is not None
        assert expert.consent_given_at is not None
        assert expert.privacy_notice_version
        assert expert.works_remotely
        assert list(expert.languages.all()) == [vocabulary["language"]]
        assert list(expert.areas_own.all()) == [vocabulary["area"]]
        applications = {a.kind: a.status for a in expert.kind_applications.all()}
        assert applications == {
            ExpertKind.DEVELOPER_CLIENT: KindApplication.APPLIED,
            ExpertKind.TRAINED_EXPERT: KindApplication.APPLIED,
        }
        training = expert.trainings.get()
        assert training.status == TrainingRecord.PENDING
        assert training.hours == 60
        assert AuditEvent.objects.filter(
            action=Action.APPLICATION_SUBMITTED, expert=expert, actor=applicant
        ).exists()

    def test_a_sent_application_cannot_be_sent_again(self, client, applicant, vocabulary):
        client.post(en_url("experts:apply"), complete_data(vocabulary, submit="1"))
        response = client.post(en_url("experts:apply"), complete_data(vocabulary, submit="1"))
        assert response.status_code == 302
        assert response.url == en_url("experts:me")
        assert AuditEvent.objects.filter(action=Action.APPLICATION_SUBMITTED).count() == 1, (
            "the second post must not submit again"
        )

    def test_remote_work_instead_of_a_region_is_enough(self, client, applicant, vocabulary):
        data = complete_data(vocabulary, regions=None, works_remotely="on", submit="1")
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 302
        assert Expert.objects.get(user=applicant).status == ExpertStatus.SUBMITTED

    def test_neither_region_nor_remote_is_refused(self, client, applicant, vocabulary):
        data = complete_data(vocabulary, regions=None, submit="1")
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert "Choose a region or tell us that you work remotely." in page(response)
        assert not Expert.objects.exists()


class TestDraft:
    def test_incomplete_draft_is_saved_and_kept(self, client, applicant, vocabulary):
        data = complete_data(
            vocabulary,
            kinds=None,
            languages=None,
            regions=None,
            areas_own=None,
            consent=None,
            bio="Half-written introduction.",
            draft="1",
        )
        response = client.post(en_url("experts:apply"), data)

        assert response.status_code == 302
        assert response.url == en_url("experts:apply")
        expert = Expert.objects.get(user=applicant)
        assert expert.status == ExpertStatus.DRAFT
        assert expert.submitted_at is None
        assert expert.consent_given_at is None
        assert expert.bio == "Half-written introduction."
        assert expert.phone == "040 123 4567"
        assert not AuditEvent.objects.filter(action=Action.APPLICATION_SUBMITTED).exists()

        again = client.get(en_url("experts:apply"))
        assert again.status_code == 200
        assert "Half-written introduction." in page(again)
        assert 'value="040 123 4567"' in page(again)

    def test_draft_remembers_kinds_and_then_can_be_sent(self, client, applicant, vocabulary):
        client.post(
            en_url("experts:apply"),
            complete_data(vocabulary, consent=None, languages=None, draft="1"),
        )
        expert = Expert.objects.get(user=applicant)
        assert expert.status == ExpertStatus.DRAFT
        assert list(expert.kind_applications.values_list("kind", flat=True)) == [
            ExpertKind.DEVELOPER_CLIENT
        ]
        again = client.get(en_url("experts:apply"))
        assert _checkbox_checked(page(again), "kinds", ExpertKind.DEVELOPER_CLIENT)
        assert not _checkbox_checked(page(again), "kinds", ExpertKind.TRAINED_EXPERT)

        response = client.post(en_url("experts:apply"), complete_data(vocabulary, submit="1"))
        assert response.status_code == 302
        expert.refresh_from_db()
        assert expert.status == ExpertStatus.SUBMITTED
        assert expert.kind_applications.get().status == KindApplication.APPLIED

    def test_draft_with_the_kinds_changed_forgets_the_dropped_kind(
        self, client, applicant, vocabulary
    ):
        client.post(
            en_url("experts:apply"),
            complete_data(
                vocabulary,
                kinds=[ExpertKind.DEVELOPER_CLIENT, ExpertKind.EXPERIENCE_ACTOR],
                draft="1",
            ),
        )
        client.post(
            en_url("experts:apply"),
            complete_data(vocabulary, kinds=[ExpertKind.EXPERIENCE_ACTOR], draft="1"),
        )
        expert = Expert.objects.get(user=applicant)
        assert list(expert.kind_applications.values_list("kind", flat=True)) == [
            ExpertKind.EXPERIENCE_ACTOR
        ]


def _checkbox_checked(text, name, value):
    """True if the checkbox input with this name and value is checked."""
    for tag in re.findall(r"<input[^>]*>", text):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    return False


class TestMissingRequiredOnSend:
    def test_specific_messages_in_english_and_typed_values_kept(
        self, client, applicant, vocabulary
    ):
        data = complete_data(
            vocabulary,
            kinds=None,
            languages=None,
            consent=None,
            bio="My very own introduction text.",
            phone="050 765 4321",
            submit="1",
        )
        response = client.post(en_url("experts:apply"), data)

        assert response.status_code == 200
        text = page(response)
        assert '<html lang="en">' in text
        assert "Choose at least one kind of expert to apply for." in text
        assert "Choose at least one language you can work in." in text
        assert "Your consent is needed before the application can be sent." in text
        assert "My very own introduction text." in text
        assert 'value="050 765 4321"' in text
        assert _checkbox_checked(text, "areas_own", vocabulary["area"].pk)
        assert not Expert.objects.exists()
        assert not KindApplication.objects.exists()

    def test_no_experience_area_is_refused_on_send(self, client, applicant, vocabulary):
        response = client.post(
            en_url("experts:apply"), complete_data(vocabulary, areas_own=None, submit="1")
        )
        assert response.status_code == 200
        assert "Choose at least one area of your own or a close one" in page(response)
        assert not Expert.objects.exists()

    def test_a_close_ones_experience_is_enough(self, client, applicant, vocabulary):
        data = complete_data(
            vocabulary, areas_own=None, areas_close=[str(vocabulary["area"].pk)], submit="1"
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 302
        assert Expert.objects.get(user=applicant).status == ExpertStatus.SUBMITTED

    def test_missing_organisation_even_for_a_draft(self, client, applicant, vocabulary):
        data = complete_data(vocabulary, organisation=None, bio="Kept text.", draft="1")
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert "This field is required." in page(response)
        assert "Kept text." in page(response)
        assert not Expert.objects.exists()


class TestBadInput:
    """Wrong values: the page answers 200 with the error, keeps what was typed, saves nothing."""

    @pytest.mark.parametrize("button", ["submit", "draft"])
    def test_hours_not_a_number(self, client, applicant, vocabulary, button):
        data = complete_data(
            vocabulary,
            kinds=[ExpertKind.TRAINED_EXPERT],
            bio="Typed before the mistake.",
            **{button: "1"},
            **training_row(hours="abc"),
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        text = page(response)
        assert "Training 1, hours: Enter a number." in text
        assert 'value="abc"' in text
        assert "Typed before the mistake." in text
        assert 'value="Mielenterveysseura"' in text
        assert not Expert.objects.exists()
        assert not TrainingRecord.objects.exists()

    def test_end_date_before_start_date(self, client, applicant, vocabulary):
        data = complete_data(
            vocabulary,
            kinds=[ExpertKind.TRAINED_EXPERT],
            submit="1",
            **training_row(start_date="2025-06-10", end_date="2025-01-10"),
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        text = page(response)
        assert "end date: The end date is before the start date." in text
        assert 'value="2025-06-10"' in text
        assert 'value="2025-01-10"' in text
        assert not Expert.objects.exists()
        assert not TrainingRecord.objects.exists()

    def test_end_date_before_start_date_in_a_draft(self, client, applicant, vocabulary):
        data = complete_data(
            vocabulary, draft="1", **training_row(start_date="2025-06-10", end_date="2025-01-10")
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert "The end date is before the start date." in page(response)
        assert not Expert.objects.exists()

    def test_not_a_date(self, client, applicant, vocabulary):
        data = complete_data(vocabulary, submit="1", **training_row(start_date="10.13.2025"))
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert "Training 1, start date: Enter a valid date." in page(response)
        assert not Expert.objects.exists()

    def test_topic_both_spoken_on_and_not_now(self, client, applicant, vocabulary):
        topic = vocabulary["topic"]
        data = complete_data(
            vocabulary,
            topics=[str(topic.pk), str(vocabulary["other_topic"].pk)],
            topics_not_now=[str(topic.pk)],
            submit="1",
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        text = page(response)
        assert (
            "Topics not now: A topic cannot be both one you speak on and one marked not now: "
            "Recovery." in text
        )
        assert _checkbox_checked(text, "topics", vocabulary["other_topic"].pk)
        assert not Expert.objects.exists()

    def test_topic_both_spoken_on_and_not_now_in_a_draft(self, client, applicant, vocabulary):
        topic = vocabulary["topic"]
        data = complete_data(
            vocabulary, topics=[str(topic.pk)], topics_not_now=[str(topic.pk)], draft="1"
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert "A topic cannot be both" in page(response)
        assert not Expert.objects.exists()

    @pytest.mark.parametrize("pseudonym", ["", "   "])
    def test_pseudonym_chosen_but_not_written(self, client, applicant, vocabulary, pseudonym):
        data = complete_data(
            vocabulary,
            uses_pseudonym="on",
            pseudonym=pseudonym,
            municipality="Nokia",
            submit="1",
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        text = page(response)
        assert "Pseudonym: Write the pseudonym you want to use." in text
        assert 'value="Nokia"' in text
        assert not Expert.objects.exists()

    def test_workload_limit_out_of_range(self, client, applicant, vocabulary):
        data = complete_data(vocabulary, workload_limit="0", draft="1")
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert "greater than or equal to 1" in page(response)
        assert not Expert.objects.exists()

    def test_unknown_choices_are_errors_not_crashes(self, client, applicant, vocabulary):
        data = complete_data(
            vocabulary,
            organisation="999999",
            kinds=["astronaut"],
            languages=["not-a-pk"],
            submit="1",
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert "Select a valid choice." in page(response)
        assert not Expert.objects.exists()

    def test_broken_management_form_is_not_a_server_error(self, client, applicant, vocabulary):
        data = complete_data(vocabulary, submit="1")
        for key in list(data):
            if key.startswith("training-"):
                del data[key]
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert not Expert.objects.exists()

    def test_an_organisation_not_taking_applications_is_not_a_choice(
        self, client, applicant, vocabulary
    ):
        closed = OrganisationFactory(accepts_applications=False)
        response = client.post(
            en_url("experts:apply"), complete_data(vocabulary, organisation=closed.pk, submit="1")
        )
        assert response.status_code == 200
        assert "Select a valid choice." in page(response)
        assert not Expert.objects.exists()


class TestTrainingRequirementOnSend:
    def test_trained_expert_with_44_hours_is_not_sent(self, client, applicant, vocabulary):
        data = complete_data(
            vocabulary,
            kinds=[ExpertKind.TRAINED_EXPERT],
            submit="1",
            **training_row(hours="44", start_date="2025-01-10", end_date="2025-06-10"),
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        text = page(response)
        assert "The training has 44 hours; at least 50 are required." in text
        assert 'value="44"' in text
        assert not Expert.objects.exists()
        assert not KindApplication.objects.exists()
        assert not AuditEvent.objects.filter(action=Action.APPLICATION_SUBMITTED).exists()

    def test_trained_expert_over_too_short_a_time_is_not_sent(self, client, applicant, vocabulary):
        data = complete_data(
            vocabulary,
            kinds=[ExpertKind.TRAINED_EXPERT],
            submit="1",
            **training_row(hours="60", start_date="2025-01-15", end_date="2025-05-14"),
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert "spread over at least 4 months" in page(response)
        assert not Expert.objects.exists()

    def test_trained_expert_without_any_training_is_not_sent(self, client, applicant, vocabulary):
        data = complete_data(vocabulary, kinds=[ExpertKind.TRAINED_EXPERT], submit="1")
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert "Add the training this kind requires." in page(response)
        assert not Expert.objects.exists()

    def test_experience_actor_with_44_hours_is_not_sent(self, client, applicant, vocabulary):
        data = complete_data(
            vocabulary,
            kinds=[ExpertKind.EXPERIENCE_ACTOR],
            submit="1",
            **training_row(training_type=TrainingType.ACTOR, hours="44"),
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert "at least 45 are required" in page(response)
        assert not Expert.objects.exists()

    def test_a_44_hour_training_can_still_be_saved_as_a_draft(self, client, applicant, vocabulary):
        data = complete_data(
            vocabulary, kinds=[ExpertKind.TRAINED_EXPERT], draft="1", **training_row(hours="44")
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 302
        expert = Expert.objects.get(user=applicant)
        assert expert.status == ExpertStatus.DRAFT
        assert expert.trainings.get().hours == 44


class TestDraftThenSendWithSavedTraining:
    def test_training_saved_in_a_draft_counts_when_sending(self, client, applicant, vocabulary):
        client.post(
            en_url("experts:apply"),
            complete_data(
                vocabulary, kinds=[ExpertKind.TRAINED_EXPERT], draft="1", **training_row()
            ),
        )
        expert = Expert.objects.get(user=applicant)
        training = expert.trainings.get()
        assert expert.status == ExpertStatus.DRAFT

        again = client.get(en_url("experts:apply"))
        assert 'value="Mielenterveysseura"' in page(again)
        assert f'name="training-0-id" value="{training.pk}"' in page(again)

        data = complete_data(vocabulary, kinds=[ExpertKind.TRAINED_EXPERT], submit="1")
        data.update(
            {
                "training-TOTAL_FORMS": "2",
                "training-INITIAL_FORMS": "1",
                "training-0-id": str(training.pk),
                "training-0-expert": str(expert.pk),
                **training_row(),
            }
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 302
        expert.refresh_from_db()
        assert expert.status == ExpertStatus.SUBMITTED
        assert expert.trainings.count() == 1
        assert expert.kind_applications.get().kind == ExpertKind.TRAINED_EXPERT

    def test_a_short_training_saved_in_a_draft_still_blocks_sending(
        self, client, applicant, vocabulary
    ):
        client.post(
            en_url("experts:apply"),
            complete_data(
                vocabulary,
                kinds=[ExpertKind.TRAINED_EXPERT],
                draft="1",
                **training_row(hours="44"),
            ),
        )
        expert = Expert.objects.get(user=applicant)
        training = expert.trainings.get()
        data = complete_data(vocabulary, kinds=[ExpertKind.TRAINED_EXPERT], submit="1")
        data.update(
            {
                "training-TOTAL_FORMS": "1",
                "training-INITIAL_FORMS": "1",
                "training-0-id": str(training.pk),
                "training-0-expert": str(expert.pk),
                **training_row(hours="44"),
            }
        )
        response = client.post(en_url("experts:apply"), data)
        assert response.status_code == 200
        assert "at least 50 are required" in page(response)
        expert.refresh_from_db()
        assert expert.status == ExpertStatus.DRAFT
        assert not AuditEvent.objects.filter(action=Action.APPLICATION_SUBMITTED).exists()
