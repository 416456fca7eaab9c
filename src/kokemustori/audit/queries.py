"""The audit log as the organisation's coordinators read it."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from kokemustori.core.roles import coordinated_organisation_ids

from .models import Action, AuditEvent


def visible_to(user):
    """Events of the organisations the user coordinates; nothing for anyone else."""
    return AuditEvent.objects.filter(organisation_id__in=coordinated_organisation_ids(user))


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, expert):
        # The coordinator knows the person by name; the number tells namesakes apart.
        return f"{expert.legal_name or expert.display_name} (#{expert.pk})"


class ExpertFilter(django_filters.ModelChoiceFilter):
    field_class = ExpertChoiceField


def _experts_in_log(request):
    """The experts the coordinator's log has events about, by name. The model comes from the
    event's own relation: the log sits below the experts app and names it only by a string."""
    Expert = AuditEvent._meta.get_field("expert").related_model  # noqa: N806
    if request is None:
        return Expert.objects.none()
    return (
        Expert.objects.filter(pk__in=visible_to(request.user).values("expert_id"))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


class AuditFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class AuditFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label=_("What"), choices=Action.choices, empty_label=_("All")
    )
    expert = ExpertFilter(label=_("Whose data"), queryset=_experts_in_log, empty_label=_("All"))
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
        form = AuditFilterForm
