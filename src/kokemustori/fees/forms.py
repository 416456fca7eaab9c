from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FeeStatus
from .services import MAX_EXPENSES, MAX_NOTE_LENGTH


class EuroField(forms.DecimalField):
    """A sum in euros as people type it: "1 200,50 €" is as good as "1200.50" (in Finnish)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("€", "")
        return super().to_python(value)


class ExpensesForm(forms.Form):
    amount = EuroField(
        label=_("Expenses (€)"),
        help_text=_("Travel and other costs of this assignment, e.g. 12.50. Keep the receipts."),
        min_value=0,
        max_value=MAX_EXPENSES,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": _("Write the expenses in euros. Write 0 if there were none."),
            "invalid": _("Write the expenses in euros as a number, e.g. 12.50."),
            "min_value": _("Expenses cannot be negative."),
            "max_value": _(
                "Expenses over %(limit_value)s € cannot be entered here. Please check the "
                "amount or contact your coordinator."
            ),
            "max_decimal_places": _("Use at most two decimals (cents)."),
        },
    )
    note = forms.CharField(
        label=_("What the expenses are"),
        help_text=_("For example: train tickets Vaasa–Seinäjoki and back."),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Keep the note under %(limit_value)s characters.")},
    )


class FeeFilterForm(forms.Form):
    """Filters of the coordinators' fee list and the CSV export (GET parameters)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(FeeStatus.choices),
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )
    date_from = forms.DateField(
        label=_("Assignments from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a valid date, e.g. 2026-03-01.")},
    )
    date_to = forms.DateField(
        label=_("Assignments until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a valid date, e.g. 2026-03-31.")},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filter(self, records):
        data = self.cleaned_data
        if data.get("status"):
            records = records.filter(status=data["status"])
        if data.get("date_from"):
            records = records.filter(assignment_date__gte=data["date_from"])
        if data.get("date_to"):
            records = records.filter(assignment_date__lte=data["date_to"])
        return records
