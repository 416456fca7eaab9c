"""The public profile shows what the expert chose to show and nothing else (experts.public;
mutation testing: every field and every choice is checked with values written out by hand)."""

import pytest

from kokemustori.experts.public import public_profile, public_topics
from kokemustori.kinds import ExpertKind
from kokemustori.tasktypes.models import TaskType
from tests.factories import (
    AreaFactory,
    ExpertFactory,
    LanguageFactory,
    OrganisationFactory,
    RegionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def expert_with_everything(**choices):
    expert = ExpertFactory(
        organisation=OrganisationFactory(name="Mielenterveysyhdistys Oiva"),
        kinds=[ExpertKind.TRAINED_EXPERT, ExpertKind.EXPERIENCE_PARTNER],
        uses_pseudonym=True,
        pseudonym="Aava",
        bio="I speak about recovery.",
        experience_story="PRIVATE-STORY: my hospital stays.",
        works_remotely=False,
        **choices,
    )
    expert.languages.set([LanguageFactory(slug="fi", name="Finnish")])
    expert.regions.set([RegionFactory(name="Ostrobothnia")])
    expert.task_types.set([TaskType.objects.get(slug="lecture")])
    recovery, housing = TopicFactory(name="Recovery"), TopicFactory(name="Housing")
    expert.topics.set([recovery, housing])
    expert.topics_not_now.set([housing])
    expert.areas_own.set([AreaFactory(name="Depression")])
    expert.areas_close.set([AreaFactory(name="Substance use")])
    return expert


def test_a_profile_with_everything_shown():
    expert = expert_with_everything(show_topics=True, show_areas=True, show_story=True)
    profile = public_profile(expert)
    assert profile.pk == expert.pk
    assert (profile.display_name, profile.organisation, profile.bio) == (
        "Aava",
        "Mielenterveysyhdistys Oiva",
        "I speak about recovery.",
    )
    assert sorted(profile.kinds) == ["experience partner", "trained experience expert"]
    assert (profile.languages, profile.regions) == (["Finnish"], ["Ostrobothnia"])
    assert profile.works_remotely is False
    assert profile.task_types == ["Lecture or talk"]
    assert profile.topics == ["Recovery"]  # never a topic marked not now
    assert (profile.areas_own, profile.areas_close) == (["Depression"], ["Substance use"])
    assert profile.story == "PRIVATE-STORY: my hospital stays."


def test_a_profile_with_nothing_optional_shown():
    expert = expert_with_everything(show_topics=False, show_areas=False, show_story=False)
    profile = public_profile(expert)
    assert (profile.topics, profile.areas_own, profile.areas_close, profile.story) == (
        [],
        [],
        [],
        "",
    )
    assert public_topics(expert) == []


def test_public_topics_leave_out_the_ones_not_now():
    expert = expert_with_everything(show_topics=True)
    assert [t.name for t in public_topics(expert)] == ["Recovery"]
    expert.topics_not_now.clear()
    assert sorted(t.name for t in public_topics(expert)) == ["Housing", "Recovery"]
