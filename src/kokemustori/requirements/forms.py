from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.taxonomy.models import Language

from .models import OrderRequirements, Qualification, QualificationKind

DATE = {"type": "date"}


class OrderRequirementsForm(forms.ModelForm):
    class Meta:
        model = OrderRequirements
        fields = ["criminal_record", "hospital_hygiene", "language_level"]

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order

    def clean_language_level(self):
        level = self.cleaned_data.get("language_level")
        if level and self.order is not None and not self.order.language_id:
            raise forms.ValidationError(
                _("The order names no language. Ask the orderer to add it first.")
            )
        return level


class QualificationForm(forms.ModelForm):
    extract_recent = forms.BooleanField(
        label=_("The extract shown was at most six months old"),
        required=False,
        help_text=_("Only that it was seen is recorded: never the extract or what it says."),
    )

    class Meta:
        model = Qualification
        fields = ["kind", "language", "level", "on", "valid_until"]
        widgets = {
            "on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = Language.objects.active()
        self.fields["on"].initial = timezone.localdate
        self.fields["on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        seen, until = data.get("on"), data.get("valid_until")
        if seen and seen > timezone.localdate():
            self.add_error("on", _("The date cannot be in the future."))
        if seen and seen < date(1990, 1, 1):
            self.add_error("on", _("Check the date."))
        if seen and until and until < seen:
            self.add_error("valid_until", _("This is before the date it was seen or completed."))
        if kind == QualificationKind.LANGUAGE:
            if not data.get("language"):
                self.add_error("language", _("Choose the language."))
            if not data.get("level"):
                self.add_error("level", _("Choose the level."))
        else:
            data["language"] = None
            data["level"] = ""
        if kind == QualificationKind.CRIMINAL_RECORD and not data.get("extract_recent"):
            self.add_error(
                "extract_recent",
                _("The law asks for an extract at most six months old. Ask for a new one."),
            )
        return data
