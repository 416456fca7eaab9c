from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from kokemustori.kinds import ExpertKind

from .models import FeeSchedule, TaskType


class TaskTypeForm(forms.ModelForm):
    allowed_kinds = forms.MultipleChoiceField(
        label=_("allowed kinds of expert"),
        choices=ExpertKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = TaskType
        exclude: list[str] = []


@admin.register(TaskType)
class TaskTypeAdmin(TranslationAdmin):
    form = TaskTypeForm
    list_display = [
        "name",
        "nature",
        "kinds",
        "usual_duration_minutes",
        "fee_basis",
        "income_type",
        "income_type_code",
        "is_active",
    ]
    list_editable = ["income_type", "income_type_code"]
    list_filter = ["nature", "is_active"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]

    @admin.display(description=_("allowed kinds of expert"))
    def kinds(self, obj):
        return ", ".join(str(label) for label in obj.allowed_kind_labels())


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    """Each organisation's fees per task type. Coordinators keep their own organisation's rows
    in the product (fees:schedule); administrators may edit any here."""

    list_display = [
        "organisation",
        "task_type",
        "basis",
        "amount",
        "amount_min",
        "amount_max",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["organisation", "basis", "task_type"]
    list_select_related = ["organisation", "task_type"]
    search_fields = ["organisation__name", "task_type__name"]
    ordering = ["organisation__name", "task_type__order", "task_type__slug", "valid_from"]
