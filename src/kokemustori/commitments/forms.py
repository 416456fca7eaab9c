from django import forms
from django.utils.translation import gettext_lazy as _

from kokemustori.core.forms import BoundedModelMultipleChoiceField
from kokemustori.experts.models import TrainingRecord

from .services import TEXT_LIMIT


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("The confidentiality commitment"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=TEXT_LIMIT,
        help_text=_(
            "Saving makes a new version. Experts who signed an earlier one are asked to sign "
            "this one before they accept their next offer."
        ),
    )


class SignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=10**6)
    agree = forms.BooleanField(
        label=_("I have read the commitment and I commit to it."),
        error_messages={"required": _("Tick the box to sign the commitment.")},
    )


class ProgrammeForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the programme"),
        max_length=200,
        help_text=_("For example: experience-expert training, basic and continuation parts."),
    )
    trainings = BoundedModelMultipleChoiceField(
        label=_("Its modules"),
        queryset=TrainingRecord.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, expert, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainings"].queryset = expert.trainings.filter(
            programme_module__isnull=True
        ).order_by("start_date", "pk")
        self.fields["trainings"].label_from_instance = lambda t: (
            f"{t}, {t.start_date:%d.%m.%Y}–{t.end_date:%d.%m.%Y} ({t.get_status_display()})"
        )
