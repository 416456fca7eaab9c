from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kokemustori.core.forms import REASON_LIMIT, StorableDateTimeField

from .models import AttendanceStatus, Series
from .services import MAX_MEETINGS

TIME_FORMATS = ["%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
TIME_EXAMPLE = _("Write each meeting on its own line, for example 14.9.2027 13:00.")


class SetUpForm(forms.ModelForm):
    meetings = forms.CharField(
        label=_("Meetings"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_MEETINGS * 40,
        help_text=TIME_EXAMPLE,
    )

    class Meta:
        model = Series
        fields = [
            "term_starts",
            "term_ends",
            "meetings",
            "meeting_minutes",
            "fee_per_meeting",
            "fee_period",
            "debrief_rule",
            "leaving_terms",
        ]
        widgets = {
            "term_starts": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "term_ends": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "leaving_terms": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "leaving_terms": _(
                "For example: an expert may leave the series by telling the coordinator; "
                "the meetings already held are paid."
            ),
        }

    def clean_meetings(self):
        field = StorableDateTimeField(
            input_formats=TIME_FORMATS,
            error_messages={"invalid": _("“%(line)s” is not a date and a time.")},
        )
        times = []
        for line in self.cleaned_data["meetings"].splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                times.append(field.clean(line))
            except ValidationError:
                raise ValidationError(
                    _("“%(line)s” is not a date and a time. %(example)s")
                    % {"line": line[:40], "example": TIME_EXAMPLE}
                ) from None
        return times


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_LIMIT,
        help_text=_(
            "The other meetings and the agreements stay as they are. The series' experts, "
            "the orderer and the coordinators are told by e-mail, with this reason."
        ),
    )


class AttendanceForm(forms.Form):
    """One status and a debrief tick for each expert agreed on the series."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for agreement, attendance in rows:
            key = agreement.expert_id
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label=agreement.expert_public_name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                initial=attendance.status if attendance else None,
            )
            self.fields[f"debriefed_{key}"] = forms.BooleanField(
                label=_("Debriefed after the meeting"),
                required=False,
                initial=attendance.debriefed if attendance else False,
            )

    def answers(self) -> dict:
        return {
            agreement.expert_id: (
                self.cleaned_data[f"status_{agreement.expert_id}"],
                self.cleaned_data[f"debriefed_{agreement.expert_id}"],
            )
            for agreement, _attendance in self.rows
        }
