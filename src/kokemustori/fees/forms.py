from django import forms
from django.utils.translation import gettext_lazy as _

from kokemustori.experts import identity
from kokemustori.organisations.models import Organisation
from kokemustori.tasktypes.models import FeeSchedule, TaskType

from .models import FeeStatus
from .services import MAX_EXPENSES, MAX_KILOMETRES, MAX_NOTE_LENGTH


class EuroField(forms.DecimalField):
    """A sum in euros as people type it: "1 200,50 €" is as good as "1200.50" (in Finnish)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("€", "")
        return super().to_python(value)


def _expense_field(label, help_text=""):
    return EuroField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=0,
        max_value=MAX_EXPENSES,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Write the expenses in euros as a number, e.g. 12.50."),
            "min_value": _("Expenses cannot be negative."),
            "max_value": _(
                "Expenses over %(limit_value)s € cannot be entered here. Please check the "
                "amount or contact your coordinator."
            ),
            "max_decimal_places": _("Use at most two decimals (cents)."),
            "max_digits": _(
                "Expenses over %(limit_value)s € cannot be entered here. Please check the "
                "amount or contact your coordinator."
            )
            % {"limit_value": MAX_EXPENSES},
        },
    )


class ExpensesForm(forms.Form):
    """The expenses of one assignment by kind; each is reimbursed separately from the fee."""

    public_transport = _expense_field(
        _("Public transport (€)"), _("Train, bus or tram tickets. Keep the receipts.")
    )
    kilometres = forms.DecimalField(
        label=_("Mileage (km)"),
        help_text=_("Kilometres driven with your own car; paid at the rate of the year."),
        required=False,
        min_value=0,
        max_value=MAX_KILOMETRES,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Write the kilometres driven as a number, e.g. 84."),
            "min_value": _("Kilometres cannot be negative."),
            "max_value": _("Please check the kilometres: at most %(limit_value)s."),
            "max_decimal_places": _("Use at most one decimal for kilometres."),
            "max_digits": _("Please check the kilometres: at most 5000."),
        },
    )
    daily_allowance = _expense_field(_("Daily allowance (€)"))
    amount = _expense_field(_("Other expenses (€)"), _("For example parking or a meal."))
    note = forms.CharField(
        label=_("What the expenses are"),
        help_text=_(
            "For example: train tickets Vaasa–Seinäjoki and back. Needed for public transport."
        ),
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


def _euro_field(label, *, required=True, help_text=""):
    return EuroField(
        label=label,
        required=required,
        help_text=help_text,
        min_value=0,
        max_value=100000,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": _("Write the fee in euros, e.g. 250."),
            "invalid": _("Write the sum in euros as a number, e.g. 250 or 25,50."),
            "min_value": _("A fee cannot be negative."),
            "max_value": _("Please check the sum: at most %(limit_value)s € can be entered."),
            "max_decimal_places": _("Use at most two decimals (cents)."),
            "max_digits": _("Please check the sum: at most 100000 € can be entered."),
        },
    )


class FeeScheduleForm(forms.ModelForm):
    """One row of a coordinator's own organisation's fee schedule."""

    amount = _euro_field(
        _("Fee (€)"),
        help_text=_(
            "What an order gets when the orderer accepts the fee schedule: per event, per "
            "hour or per meeting."
        ),
    )
    amount_min = _euro_field(_("Range from (€)"), required=False)
    amount_max = _euro_field(_("Range up to (€)"), required=False)

    class Meta:
        model = FeeSchedule
        fields = [
            "organisation",
            "task_type",
            "basis",
            "amount",
            "amount_min",
            "amount_max",
            "valid_from",
            "valid_until",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "organisation": {"invalid_choice": _("Choose one of your own organisations.")},
            "task_type": {
                "required": _("Choose the task type."),
                "invalid_choice": _("Choose a task type from the list."),
            },
            "basis": {
                "required": _("Choose whether the fee is per event, per hour or per meeting."),
                "invalid_choice": _("Choose a basis from the list."),
            },
            "valid_from": {
                "required": _("Give the first day the fee applies."),
                "invalid": _("Enter a valid date, e.g. 2027-01-01."),
            },
            "valid_until": {"invalid": _("Enter a valid date, e.g. 2027-12-31.")},
        }

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [organisation.pk for organisation in organisations]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)
        self.fields["organisation"].empty_label = None
        self.fields["organisation"].error_messages["required"] = _("Choose the organisation.")
        self.fields["task_type"].queryset = TaskType.objects.filter(is_active=True)
        if self.instance.pk:
            # A row stays with its organisation; to move it, end it and add a new one.
            self.fields["organisation"].disabled = True


class IdentityCodeForm(forms.Form):
    """The expert's personal identity code, for the payer only."""

    personal_identity_code = forms.CharField(
        label=_("Personal identity code"),
        help_text=_(
            "Only if you want the payer to have it, e.g. 010190-123A. It is stored encrypted "
            "and shown only to you and your organisation's coordinators in the payroll export."
        ),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    remove = forms.BooleanField(label=_("Remove my personal identity code"), required=False)

    def clean_personal_identity_code(self):
        code = identity.normalise(self.cleaned_data.get("personal_identity_code", ""))
        if code and not identity.is_valid(code):
            raise forms.ValidationError(
                _("This is not a valid Finnish personal identity code. Check the characters.")
            )
        return code

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("remove") and not data.get("personal_identity_code"):
            self.add_error(
                "personal_identity_code",
                _("Write your personal identity code, or tick the box to remove it."),
            )
        return data
