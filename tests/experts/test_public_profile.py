"""The public profile shows what the expert chose to show and nothing else (experts.public;
mutation testing: every field and every choice is checked with values written out by hand)."""

import pytest
from django.utils import translation

from kokemustori.experts import public
from kokemustori.experts.catalogue import catalogue_queryset
from kokemustori.experts.models import KindApplication
from kokemustori.experts.public import public_profile
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


def test_a_topic_no_longer_not_now_is_shown_again():
    expert = expert_with_everything(show_topics=True)
    assert public_profile(expert).topics == ["Recovery"]
    expert.topics_not_now.clear()
    assert sorted(public_profile(expert).topics) == ["Housing", "Recovery"]


# A page of profiles made at once (public.public_profiles, the catalogue and the API) --------


def _page_world():
    recovery = TopicFactory(name="Recovery", name_fi="Toipuminen", name_sv="Återhämtning", order=2)
    # No Swedish name: Swedish falls back to Finnish (MODELTRANSLATION_FALLBACK_LANGUAGES).
    debt = TopicFactory(name="Debt", name_fi="Velat", name_sv="", name_en="Debt", order=1)
    grief = TopicFactory(name="Grief", name_fi="Suru", name_sv="Sorg", order=3)
    area = AreaFactory(name="Mental health", name_fi="Mielenterveys", name_sv="Psykisk hälsa")
    finnish = LanguageFactory(slug="fi-x", name="Finnish", name_fi="suomi", name_sv="finska")
    lapland = RegionFactory(name="Lapland", name_fi="Lappi", name_sv="Lappland")
    shows = ExpertFactory(
        kinds=[ExpertKind.TRAINED_EXPERT, ExpertKind.DEVELOPER_CLIENT],
        show_topics=True,
        show_areas=True,
        uses_pseudonym=True,
        pseudonym="Kettu",
    )
    shows.topics.set([recovery, debt, grief])
    shows.topics_not_now.set([grief])
    shows.areas_own.set([area])
    shows.languages.set([finnish])
    shows.regions.set([lapland])
    hides = ExpertFactory(show_topics=False, show_areas=False)
    hides.topics.set([recovery])
    hides.areas_close.set([area])
    return shows, hides


@pytest.mark.parametrize(
    ("language", "topics", "area", "language_name", "region"),
    [
        ("fi", ["Velat", "Toipuminen"], "Mielenterveys", "suomi", "Lappi"),
        ("sv", ["Velat", "Återhämtning"], "Psykisk hälsa", "finska", "Lappland"),
        ("en", ["Debt", "Recovery"], "Mental health", "Finnish", "Lapland"),
    ],
)
def test_a_page_of_profiles_equals_each_profile_made_alone(
    db, language, topics, area, language_name, region
):
    shows, hides = _page_world()
    with translation.override(language):
        experts = list(catalogue_queryset().filter(pk__in=[shows.pk, hides.pk]))
        page = public.public_profiles(experts)
        assert page == [public_profile(e) for e in experts]
    first = next(p for p in page if p.pk == shows.pk)
    assert first.topics == topics  # by position: Debt (1), Recovery (2); Grief is not now
    assert (first.areas_own, first.languages, first.regions) == ([area], [language_name], [region])


def test_a_page_of_profiles_takes_two_queries(db, django_assert_num_queries):
    shows, hides = _page_world()
    experts = list(catalogue_queryset().filter(pk__in=[shows.pk, hides.pk]))
    with django_assert_num_queries(2):
        public.public_profiles(experts)


def test_a_page_of_profiles_names_in_the_reader_language_and_hides_what_the_expert_hides(db):
    shows, hides = _page_world()
    with translation.override("sv"):
        first, second = public.public_profiles(
            catalogue_queryset().filter(pk__in=[shows.pk, hides.pk])
        )
    assert first.display_name == "Kettu"
    # In the topics' own order; "not now" never shown; no Swedish name: the Finnish one.
    assert first.topics == ["Velat", "Återhämtning"]
    assert first.areas_own == ["Psykisk hälsa"]
    assert first.languages == ["finska"] and first.regions == ["Lappland"]
    assert len(first.kinds) == 2
    assert second.topics == [] and second.areas_close == [] and second.kinds == []
    assert "PRIVATE-STORY" not in repr(first) + repr(second)


# What mutation testing found the page builder's tests did not defend ---------------------


def test_a_regional_language_code_reads_that_language_names(db):
    shows, _ = _page_world()
    with translation.override("sv-fi"):
        (profile,) = public.public_profiles(catalogue_queryset().filter(pk=shows.pk))
    assert profile.regions == ["Lappland"] and profile.languages == ["finska"]


def test_items_in_the_same_position_are_in_the_order_of_their_codes_not_their_names(db):
    expert = ExpertFactory(show_topics=True)
    expert.topics.set(
        [
            TopicFactory(slug="b-topic", name="Alpha", order=4),
            TopicFactory(slug="a-topic", name="Zeta", order=4),
            TopicFactory(slug="c-topic", name="Middle", order=1),
        ]
    )
    assert public_profile(expert).topics == ["Middle", "Zeta", "Alpha"]


def test_an_item_named_in_no_language_is_left_out(db):
    expert = ExpertFactory(show_topics=True)
    unnamed = TopicFactory(name="", name_fi="", name_sv="", name_en="")
    expert.topics.set([unnamed, TopicFactory(name="Hope")])
    assert public_profile(expert).topics == ["Hope"]


def test_only_granted_kinds_are_shown(db):
    expert = ExpertFactory(kinds=[ExpertKind.TRAINED_EXPERT])
    KindApplication.objects.create(
        expert=expert, kind=ExpertKind.EXPERIENCE_PARTNER, status=KindApplication.APPLIED
    )
    KindApplication.objects.create(
        expert=expert, kind=ExpertKind.DEVELOPER_CLIENT, status=KindApplication.REFUSED
    )
    assert public_profile(expert).kinds == ["trained experience expert"]


def test_an_expert_with_no_topics_or_kinds_has_an_empty_profile_list(db):
    expert = ExpertFactory(show_topics=True, show_areas=True, kinds=[])
    profile = public_profile(expert)
    assert (profile.topics, profile.kinds, profile.areas_own, profile.task_types) == (
        [],
        [],
        [],
        [],
    )


def test_name_columns_of_a_regional_language_code_are_the_language_then_the_fallbacks():
    with translation.override("sv-fi"):
        assert public._name_columns() == ["name_sv", "name_fi", "name_en"]
    with translation.override("en-gb"):
        assert public._name_columns() == ["name_en", "name_fi", "name_sv"]


def test_a_page_of_profiles_shows_each_choice_of_each_expert_and_nothing_else(db):
    """Three experts on one page: one shows areas and story (two regions of the same order,
    named in the order of their slugs; a topic with no name in any language, left out); one hides them
    and has applied for a kind not yet granted; one has nothing at all."""
    zeta = RegionFactory(slug="zeta", name="Zeta", name_fi="Zeta", name_sv="Zeta", order=1)
    alfa = RegionFactory(slug="alfa", name="Alfa", name_fi="Alfa", name_sv="Alfa", order=1)
    nameless = TopicFactory(name="", name_fi="", name_sv="", name_en="")
    own, close = AreaFactory(name="Depression"), AreaFactory(name="Substance use")
    shows = ExpertFactory(show_areas=True, show_story=True, show_topics=True)
    shows.experience_story = "My story of recovery."
    shows.save(update_fields=["experience_story"])
    shows.regions.set([zeta, alfa])
    shows.topics.set([nameless])
    shows.areas_own.set([own])
    shows.areas_close.set([close])
    hides = ExpertFactory(show_areas=False, show_story=False, experience_story="Kept to myself.")
    hides.areas_own.set([own])
    hides.areas_close.set([close])
    hides.kind_applications.create(kind=ExpertKind.TRAINED_EXPERT, status="applied")
    empty = ExpertFactory(show_topics=True, show_areas=True)
    with translation.override("en"):
        first, second, third = public.public_profiles(
            catalogue_queryset().filter(pk__in=[shows.pk, hides.pk, empty.pk]).order_by("pk")
        )
    assert first.regions == ["Alfa", "Zeta"]
    assert first.topics == []  # a topic named in no language is left out
    assert (first.areas_own, first.areas_close) == (["Depression"], ["Substance use"])
    assert first.story == "My story of recovery."
    assert (second.areas_own, second.areas_close, second.story) == ([], [], "")
    assert second.kinds == []
    assert (third.topics, third.areas_own, third.regions, third.kinds) == ([], [], [], [])
