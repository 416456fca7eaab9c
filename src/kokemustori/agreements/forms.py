from django import forms
from django.utils.translation import gettext_lazy as _

from kokemustori.core.forms import StorableDateTimeField
from kokemustori.offers.models import FeeType

from .models import Agreement
from .services import AMENDABLE_FIELDS, MAX_REASON_LENGTH

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        help_text=_(
            "The other party and the coordinators read this. You need not tell anything about "
            "your health or your situation: “I cannot come” is enough."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON_LENGTH,
        error_messages={"required": _("Write why the agreement is cancelled.")},
    )

    def __init__(self, *args, reason_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not reason_required:
            # The expert withdraws without having to say why (agreements.services.cancel).
            field = self.fields["reason"]
            field.required = False
            field.label = _("Reason for withdrawing (optional)")
            field.help_text = _(
                "You need not give a reason. If you write one, the orderer and the coordinators "
                "read it."
            )


def _datetime(label, *, required=False):
    return StorableDateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
    )


class AmendForm(forms.Form):
    """A coordinator's change of the terms (services.amend checks that they hold together)."""

    tasks = forms.CharField(label=_("Tasks"), widget=forms.Textarea(attrs={"rows": 4}))
    starts_at = _datetime(_("Starts"), required=True)
    ends_at = _datetime(_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=500, required=False)
    planning_meeting_at = _datetime(_("Planning meeting"))
    debrief_at = _datetime(_("Debrief"))
    debrief_by = forms.CharField(label=_("Debrief held by"), max_length=200, required=False)
    fee_amount = forms.DecimalField(
        label=_("Fee (€)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text=_("Before tax. A figure typed here replaces the rate times hours."),
    )
    expenses = forms.CharField(
        label=_("Expenses and travel costs"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    confidentiality = forms.CharField(
        label=_("Confidentiality duty"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reason = forms.CharField(
        label=_("What changed and why"),
        help_text=_(
            "Both parties read this with the new terms. If either had already accepted, both "
            "are asked to accept again."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON_LENGTH,
        error_messages={"required": _("Write what changed and why: both parties read it.")},
    )

    def __init__(self, *args, agreement: Agreement, **kwargs):
        kwargs.setdefault("initial", {f: getattr(agreement, f) for f in AMENDABLE_FIELDS})
        super().__init__(*args, **kwargs)
        if agreement.fee_type == FeeType.DECLINED:
            # Nothing to change: the expert declined the fee.
            del self.fields["fee_amount"]

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in AMENDABLE_FIELDS if f in self.cleaned_data}
