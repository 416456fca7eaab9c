"""The kind × task type × audience rule, as a table.

EXPECTED is written from the domain description, independently of PERMITTED_NATURES: a change
to the rule module that disagrees with the domain fails here.
"""

import pytest
from django.core.exceptions import ValidationError

from kokemustori.experts.kinds import ExpertKind
from kokemustori.tasktypes.defaults import DEFAULT_TASK_TYPES
from kokemustori.tasktypes.eligibility import Audience, eligibility, eligible_kinds
from kokemustori.tasktypes.models import TaskType

T, A, D, P = (
    ExpertKind.TRAINED_EXPERT,
    ExpertKind.EXPERIENCE_ACTOR,
    ExpertKind.DEVELOPER_CLIENT,
    ExpertKind.EXPERIENCE_PARTNER,
)

# task type slug -> kinds that may do it (audience: professionals / working group)
EXPECTED = {
    "lecture": {T, A, P},
    "first-info-lecture": {T, A, P},
    "training": {T, A, P},
    "working-group": {T, A, D, P},
    "workshop": {T, A, D, P},
    "client-panel": {T, A, D, P},
    "resident-panel": {T, A, D, P},
    "interview": {T, A, D, P},
    "advocacy": {T, A},
    "peer-group": {T},
    "client-work": {T},
    "peer-partnership": {P},
}


def test_table_covers_every_default_task_type():
    assert set(EXPECTED) == {row[0] for row in DEFAULT_TASK_TYPES}


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(EXPECTED))
@pytest.mark.parametrize("kind", list(ExpertKind))
def test_kind_by_task_type(kind, slug):
    task_type = TaskType.objects.get(slug=slug)
    verdict = eligibility(kind, task_type, Audience.PROFESSIONALS)
    assert bool(verdict) is (kind in EXPECTED[slug]), verdict.reason
    assert verdict.reason  # every answer explains itself


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "audience", "expected"),
    [
        # A talk to current clients is client work in a group situation.
        ("lecture", Audience.CLIENTS, {T}),
        ("lecture", Audience.STUDENTS, {T, A, P}),
        ("first-info-lecture", Audience.PATIENTS_RELATIVES, {T, A, P}),
        ("workshop", Audience.WORKING_GROUP, {T, A, D, P}),
        ("peer-group", Audience.CLIENTS, {T}),
        ("peer-partnership", Audience.CLIENTS, {P}),
        ("client-work", Audience.CLIENTS, {T}),
    ],
)
def test_audience_changes_eligibility(slug, audience, expected):
    task_type = TaskType.objects.get(slug=slug)
    assert set(eligible_kinds(task_type, audience)) == expected


@pytest.mark.django_db
def test_untrained_developer_client_is_never_offered_client_work():
    for task_type in TaskType.objects.all():
        if task_type.is_client_work:
            for audience in Audience:
                assert not eligibility(D, task_type, audience)


@pytest.mark.django_db
def test_admin_table_can_narrow_but_never_widen():
    lecture = TaskType.objects.get(slug="lecture")
    lecture.allowed_kinds = [T]
    lecture.full_clean()
    lecture.save()
    assert not eligibility(A, lecture, Audience.PROFESSIONALS)

    group = TaskType.objects.get(slug="peer-group")
    group.allowed_kinds = [T, D]
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "allowed_kinds" in error.value.message_dict


@pytest.mark.django_db
def test_new_task_type_rejects_unknown_kind():
    task_type = TaskType(slug="x", name="X", nature="talk", allowed_kinds=["wizard"])
    with pytest.raises(ValidationError):
        task_type.full_clean()
