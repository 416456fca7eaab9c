from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FeeType


class AcceptForm(forms.Form):
    fee_type = forms.ChoiceField(
        label=_("How do you want to receive the fee?"),
        choices=FeeType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to receive the fee.")},
        help_text=_(
            "Wage: you are paid like pay from work; the payer withholds tax by your tax card. "
            "Work compensation: you are paid on this assignment agreement; tax is withheld by "
            "your tax card, and no employment begins. Both count as earnings if you receive a "
            "disability pension or rehabilitation allowance, so check your earnings limit. "
            "Declining the fee: you take part as a volunteer and only your costs are paid back. "
            "If you are not sure, ask your coordinator before you accept."
        ),
    )
    understood_limit = forms.BooleanField(
        label=_("I understand that this assignment takes me over my earnings limit."),
        required=False,
    )

    def __init__(self, *args, crosses_limit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.crosses_limit = crosses_limit
        if not crosses_limit:
            del self.fields["understood_limit"]

    def clean(self):
        data = super().clean()
        if (
            self.crosses_limit
            and data.get("fee_type") != FeeType.DECLINED
            and not data.get("understood_limit")
        ):
            self.add_error(
                "understood_limit",
                _("Confirm that you have seen the earnings-limit warning, or decline the fee."),
            )
        return data
