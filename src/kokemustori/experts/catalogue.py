"""The orderers' catalogue: approved, available experts filtered on their public profile.

Filters only match what an expert has chosen to show. Filtering on a hidden experience area
would otherwise reveal it ("who has experience of psychosis?").
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kokemustori.kinds import ExpertKind
from kokemustori.organisations.models import Organisation
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import ExperienceArea, Language, Region, Topic

from .models import Expert, KindApplication
from .public import PUBLIC_PREFETCH

ALL = _("All")


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Kind of expert"),
        choices=ExpertKind.choices,
        method="filter_kind",
        empty_label=ALL,
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Experience area"),
        empty_label=ALL,
        queryset=ExperienceArea.objects.active(),
        method="filter_area",
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), empty_label=ALL, queryset=Topic.objects.active(), method="filter_topic"
    )
    task_type = django_filters.ModelChoiceFilter(
        label=_("Task type"),
        empty_label=ALL,
        queryset=TaskType.objects.filter(is_active=True),
        field_name="task_types",
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        empty_label=ALL,
        queryset=Language.objects.active(),
        field_name="languages",
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), empty_label=ALL, queryset=Region.objects.active(), method="filter_region"
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
        queryset=Organisation.objects.filter(is_active=True),
    )

    class Meta:
        model = Expert
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(bio__icontains=value)
            | Q(pseudonym__icontains=value, uses_pseudonym=True)
            | Q(user__first_name__icontains=value, uses_pseudonym=False, first_name_public=True)
        )

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


def catalogue_queryset():
    return (
        Expert.objects.available()
        .select_related("organisation", "user")
        .prefetch_related(*PUBLIC_PREFETCH)
        .order_by("pk")
    )
