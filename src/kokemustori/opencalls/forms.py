from django import forms
from django.utils.translation import gettext_lazy as _

from kokemustori.core.forms import StorableDateTimeField
from kokemustori.matching.forms import DATETIME_FORMAT

from .models import NOTE_LIMIT


class PublishForm(forms.Form):
    answer_by = StorableDateTimeField(
        label=_("Experts answer by"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        error_messages={"invalid": _("Enter a date and a time, for example 31.12.2026 16:00.")},
    )
    message = forms.CharField(
        label=_("A word to the experts"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Shown with the call, after everything the order says."),
    )


class InterestForm(forms.Form):
    note = forms.CharField(
        label=_("A note to the coordinators (optional)"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Read by the coordinators in charge of this order only, never by the orderer. "
            "You need not explain anything."
        ),
    )
