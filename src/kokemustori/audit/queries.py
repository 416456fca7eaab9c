"""The audit log as the organisation's coordinators read it."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from kokemustori.core.roles import coordinated_organisation_ids

from .models import Action, AuditEvent


def visible_to(user):
    """Events of the organisations the user coordinates; nothing for anyone else."""
    return AuditEvent.objects.filter(organisation_id__in=coordinated_organisation_ids(user))


class AuditFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label=_("What"), choices=Action.choices, empty_label=_("All")
    )
    expert = django_filters.NumberFilter(
        label=_("Expert number"), field_name="expert_id", min_value=1
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = []
