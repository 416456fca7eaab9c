"""The kind × task type × audience rule, as a table.

EXPECTED is written from the domain description, independently of PERMITTED_NATURES: a change
to the rule module that disagrees with the domain fails here.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kokemustori.kinds import ExpertKind
from kokemustori.tasktypes.defaults import DEFAULT_TASK_TYPES
from kokemustori.tasktypes.eligibility import (
    Audience,
    eligibility,
    eligible_kinds,
    is_client_work,
    permitted_kinds,
)
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


# What each kind may EVER do, by the nature of the task, written from the domain description
# (not read from PERMITTED_NATURES): the rule holds even where a task type's table is wrong.
TALK, DEVELOPMENT, ADVOCACY = "talk", "development", "advocacy"
PEER_GROUP, CLIENT_WORK, PEER_PARTNERSHIP = "peer_group", "client_work", "peer_partnership"
NATURES = (TALK, DEVELOPMENT, ADVOCACY, PEER_GROUP, CLIENT_WORK, PEER_PARTNERSHIP)
EVER = {
    T: {TALK, DEVELOPMENT, ADVOCACY, PEER_GROUP, CLIENT_WORK},
    A: {TALK, DEVELOPMENT, ADVOCACY},
    D: {DEVELOPMENT},
    P: {TALK, DEVELOPMENT, PEER_PARTNERSHIP},
}


class OpenToEveryone:
    """A task type whose table (wrongly) lets every kind in: only the rule stands between."""

    allowed_kinds = list(ExpertKind.values)

    def __init__(self, nature):
        self.nature = nature


@pytest.mark.parametrize("nature", NATURES)
@pytest.mark.parametrize("kind", list(ExpertKind))
def test_what_each_kind_may_ever_do_whatever_the_table_says(kind, nature):
    verdict = eligibility(kind, OpenToEveryone(nature), Audience.PROFESSIONALS)
    assert bool(verdict) is (nature in EVER[kind]), verdict.reason


@pytest.mark.parametrize("nature", [PEER_GROUP, CLIENT_WORK, PEER_PARTNERSHIP])
@pytest.mark.parametrize("audience", list(Audience))
def test_a_developer_client_never_does_client_work_for_any_audience(nature, audience):
    assert not eligibility(D, OpenToEveryone(nature), audience)


@pytest.mark.parametrize("audience", [a for a in Audience if a != Audience.CLIENTS])
def test_a_talk_is_client_work_only_for_current_clients(audience):
    # Every kind that may talk, may talk to this audience...
    for kind in (T, A, P):
        assert eligibility(kind, OpenToEveryone(TALK), audience)
    # ...but to current clients it is client work, for trained experts only.
    assert eligibility(T, OpenToEveryone(TALK), Audience.CLIENTS)
    for kind in (A, D, P):
        assert not eligibility(kind, OpenToEveryone(TALK), Audience.CLIENTS)


@pytest.mark.parametrize("row", DEFAULT_TASK_TYPES, ids=[row[0] for row in DEFAULT_TASK_TYPES])
def test_each_default_task_type_allows_exactly_what_the_rule_permits(row):
    slug, nature, allowed = row[0], row[1], row[2]
    assert set(allowed) == {kind for kind in ExpertKind if nature in EVER[kind]}, slug


@pytest.mark.parametrize("nature", NATURES)
@pytest.mark.parametrize("kind", list(ExpertKind))
def test_a_task_type_table_is_refused_when_it_widens_the_rule(kind, nature):
    task_type = TaskType(slug="new", name="New", nature=nature, allowed_kinds=[kind.value])
    if nature in EVER[kind]:
        task_type.clean()
    else:
        with pytest.raises(ValidationError) as refused:
            task_type.clean()
        assert "allowed_kinds" in refused.value.message_dict


@pytest.mark.django_db
def test_the_public_kinds_page_says_what_each_kind_may_do(client):
    page = client.get(reverse("pages:kinds")).content.decode()
    sections = {
        kind: page.split(f'id="kind-{kind.value}"', 1)[1].split("</section>", 1)[0]
        for kind in ExpertKind
    }
    labels = {
        TALK: "lecture, talk or training",
        DEVELOPMENT: "development work",
        ADVOCACY: "advocacy work",
        PEER_GROUP: "leading a peer-support group",
        CLIENT_WORK: "client or support-person work",
        PEER_PARTNERSHIP: "peer partnership with a client",
    }
    for kind, section in sections.items():
        may_do = section.split("May do</dt>", 1)[1].split("</dd>", 1)[0].lower()
        for nature, label in labels.items():
            assert (label in may_do) is (nature in EVER[kind]), (kind, label)


# Each verdict's reason, written out (mutation testing: a changed or lost text fails here).
@pytest.mark.parametrize(
    ("kind", "nature", "audience", "reason"),
    [
        (
            D,
            TALK,
            Audience.PROFESSIONALS,
            "The kind “developer client” may not do this: lecture, talk or training.",
        ),
        (
            A,
            PEER_GROUP,
            Audience.PROFESSIONALS,
            "The kind “experience actor” may not do this: leading a peer-support group.",
        ),
        (
            A,
            TALK,
            Audience.CLIENTS,
            "Client work in a group or one-to-one needs a trained experience expert.",
        ),
        (T, TALK, Audience.CLIENTS, "Allowed for the kind “trained experience expert”."),
        (P, PEER_PARTNERSHIP, None, "Allowed for the kind “experience partner”."),
    ],
)
def test_each_verdict_gives_its_reason(kind, nature, audience, reason):
    assert eligibility(kind, OpenToEveryone(nature), audience).reason == reason


class OnlyTrainedExperts:
    allowed_kinds = [T.value]
    nature = TALK


def test_a_kind_left_out_of_the_task_types_table_is_told_so():
    verdict = eligibility(A, OnlyTrainedExperts(), Audience.PROFESSIONALS)
    assert verdict.allowed is False
    assert verdict.reason == "This task type is not open to the kind “experience actor”."


@pytest.mark.parametrize(
    ("nature", "kinds"),
    [
        (TALK, [T, A, P]),
        (DEVELOPMENT, [T, A, D, P]),
        (ADVOCACY, [T, A]),
        (PEER_GROUP, [T]),
        (CLIENT_WORK, [T]),
        (PEER_PARTNERSHIP, [P]),
    ],
)
def test_permitted_kinds_by_nature_in_kind_order(nature, kinds):
    assert permitted_kinds(nature) == [kind.value for kind in kinds]


@pytest.mark.parametrize(
    ("nature", "audience", "client_work"),
    [
        (TALK, None, False),
        (TALK, Audience.PROFESSIONALS, False),
        (TALK, Audience.CLIENTS, True),
        (DEVELOPMENT, None, False),
        (DEVELOPMENT, Audience.CLIENTS, False),
        (ADVOCACY, Audience.CLIENTS, False),
        (PEER_GROUP, None, True),
        (CLIENT_WORK, Audience.PROFESSIONALS, True),
        (PEER_PARTNERSHIP, None, True),
    ],
)
def test_which_work_is_client_work(nature, audience, client_work):
    assert is_client_work(nature, audience) is client_work
