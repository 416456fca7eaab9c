from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_REASON_LENGTH


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
