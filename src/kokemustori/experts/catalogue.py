"""The orderers' catalogue: approved, available experts filtered on their public profile.

Filters only match what an expert has chosen to show. Filtering on a hidden experience area
would otherwise reveal it ("who has experience of psychosis?").
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kokemustori.core import vocabulary
from kokemustori.core.forms import QuickSelect
from kokemustori.kinds import ExpertKind
from kokemustori.organisations.models import Organisation
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import ExperienceArea, Language, Region, Topic

from .models import Expert, KindApplication

ALL = _("All")

# The filters whose options come from the vocabulary cache (core/vocabulary.py).
VOCABULARY_FILTERS = ("area", "topic", "task_type", "language", "region", "organisation")
vocabulary.watch(ExperienceArea, Topic, TaskType, Language, Region, Organisation)


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Kind of expert"),
        choices=ExpertKind.choices,
        method="filter_kind",
        empty_label=ALL,
        widget=QuickSelect,
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Experience area"),
        empty_label=ALL,
        widget=QuickSelect,
        queryset=ExperienceArea.objects.active(),
        method="filter_area",
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        empty_label=ALL,
        widget=QuickSelect,
        queryset=Topic.objects.active(),
        method="filter_topic",
    )
    task_type = django_filters.ModelChoiceFilter(
        label=_("Task type"),
        empty_label=ALL,
        widget=QuickSelect,
        queryset=TaskType.objects.filter(is_active=True),
        field_name="task_types",
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        empty_label=ALL,
        widget=QuickSelect,
        queryset=Language.objects.active(),
        field_name="languages",
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        empty_label=ALL,
        widget=QuickSelect,
        queryset=Region.objects.active(),
        method="filter_region",
    )
    remote = django_filters.BooleanFilter(
        label=_("Works remotely"),
        field_name="works_remotely",
        widget=forms.CheckboxInput,
        method="filter_remote",
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Background organisation"),
        empty_label=ALL,
        widget=QuickSelect,
        queryset=Organisation.objects.filter(is_active=True),
    )

    class Meta:
        model = Expert
        fields: list[str] = []

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            found = vocabulary.options(
                {f"catalogue.{name}": form.fields[name].queryset for name in VOCABULARY_FILTERS}
            )
            for name in VOCABULARY_FILTERS:
                field = form.fields[name]
                field.widget.choices = [("", field.empty_label), *found[f"catalogue.{name}"]]
        return self._form

    def filter_text(self, queryset, name, value):
        """Words in what the profile shows: the name shown, the introduction, the story when
        shown, and the names of the topics and experience areas the expert shows, in any of
        the three languages (a Swedish speaker finds "återhämtning" on a Finnish profile)."""
        value = value.strip()[:100]
        if not value:
            return queryset
        # icontains folds only ASCII letters on SQLite: "återhämtning" would miss
        # "Återhämtning". The usual spellings of the words are tried as well.
        words = {value, value.lower(), value.capitalize(), value.upper()}
        found = Q()
        for word in words:
            found |= _shown_text(word)
        return queryset.filter(found)

    def filter_kind(self, queryset, name, value):
        granted = KindApplication.objects.filter(
            expert=OuterRef("pk"), kind=value, status=KindApplication.GRANTED
        )
        return queryset.filter(Exists(granted))

    def filter_area(self, queryset, name, value):
        return (
            queryset.filter(show_areas=True)
            .filter(Q(areas_own=value) | Q(areas_close=value))
            .distinct()
        )

    def filter_topic(self, queryset, name, value):
        return (
            queryset.filter(show_topics=True, topics=value).exclude(topics_not_now=value).distinct()
        )

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(regions=value) | Q(works_remotely=True)).distinct()

    def filter_remote(self, queryset, name, value):
        return queryset.filter(works_remotely=True) if value else queryset


def _shown_text(value: str) -> Q:
    topics = Expert.topics.through.objects.filter(
        _named("topic__", value), expert_id=OuterRef("pk")
    ).exclude(
        topic__in=Expert.topics_not_now.through.objects.filter(
            expert_id=OuterRef(OuterRef("pk"))
        ).values("topic_id")
    )
    areas_own = Expert.areas_own.through.objects.filter(
        _named("experiencearea__", value), expert_id=OuterRef("pk")
    )
    areas_close = Expert.areas_close.through.objects.filter(
        _named("experiencearea__", value), expert_id=OuterRef("pk")
    )
    return (
        Q(bio__icontains=value)
        | Q(pseudonym__icontains=value, uses_pseudonym=True)
        | Q(user__first_name__icontains=value, uses_pseudonym=False, first_name_public=True)
        | Q(experience_story__icontains=value, show_story=True)
        | Q(Exists(topics), show_topics=True)
        | Q(Exists(areas_own) | Exists(areas_close), show_areas=True)
    )


def _named(prefix: str, value: str) -> Q:
    """The name, in any of the languages, of the related vocabulary item under `prefix`."""
    return (
        Q(**{f"{prefix}name_fi__icontains": value})
        | Q(**{f"{prefix}name_sv__icontains": value})
        | Q(**{f"{prefix}name_en__icontains": value})
    )


def catalogue_queryset():
    """The listed experts; their profiles are made with public.public_profiles."""
    return Expert.objects.available().select_related("organisation", "user").order_by("pk")
