from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from kokemustori.experts.kinds import ExpertKind

from .models import TaskType


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
    list_display = ["name", "nature", "kinds", "usual_duration_minutes", "fee_basis", "is_active"]
    list_filter = ["nature", "is_active"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]

    @admin.display(description=_("allowed kinds of expert"))
    def kinds(self, obj):
        return ", ".join(str(label) for label in obj.allowed_kind_labels())
