from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.core.forms import StorableDateTimeField

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class ExpertChoiceField(forms.MultipleChoiceField):
    """Expert ids, valid when the expert may be offered the order right now. Checked against
    a set, so that thousands of eligible experts cost nothing."""

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def valid_value(self, value):
        try:
            return int(value) in self.allowed
        except (TypeError, ValueError):
            return False

    def clean(self, value):
        return [int(pk) for pk in super().clean(value)]


class SendOffersForm(forms.Form):
    experts = ExpertChoiceField(
        label=_("Experts to offer the assignment to"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one expert to send the offer to."),
            "invalid_choice": _(
                "An expert you chose can no longer be offered this order (for example, they "
                "started a break). The list has been updated: please choose again."
            ),
        },
    )
    message = forms.CharField(
        label=_("Message to the experts"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Shown with the offer, after everything the order says."),
    )
    expires_at = StorableDateTimeField(
        label=_("Answer by"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        help_text=_("Leave empty for the usual five days (at the latest the day before)."),
        error_messages={"invalid": _("Enter a date and a time, for example 31.12.2026 16:00.")},
    )

    def __init__(self, *args, order, allowed, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.now = now or timezone.now()
        self.fields["experts"].allowed = allowed

    def clean_expires_at(self):
        value = self.cleaned_data.get("expires_at")
        if value is None:
            return None
        if value <= self.now:
            raise forms.ValidationError(_("The answer deadline must be in the future."))
        starts_at = self.order.starts_at
        if starts_at and value >= starts_at:
            raise forms.ValidationError(
                _("The answer deadline must be before the assignment starts (%(start)s).")
                % {
                    "start": formats.date_format(
                        timezone.localtime(starts_at), "SHORT_DATETIME_FORMAT"
                    )
                }
            )
        return value
