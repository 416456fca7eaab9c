from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class StorableDateTimeField(forms.DateTimeField):
    """A DateTimeField that refuses what cannot be stored: a time in year 1 or 9999 parses,
    but turning it into UTC for the database falls outside what Python's datetime holds and
    the save fails. Such a year is refused with the field's own "invalid" message."""

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not 1 < result.year < 9999:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return result


# The largest primary key the databases hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses an id too large for the database instead of
    sending it there: SQLite fails on such a number in `pk IN (...)` with OverflowError.
    The error is Django's own "not a valid value" for that id."""

    def _check_values(self, value):
        for pk in value:
            try:
                too_large = abs(int(str(pk))) > MAX_ID
            except ValueError:
                continue  # not a number: Django refuses it as usual
            if too_large:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


REASON_LIMIT = 2000


class ReasonForm(forms.Form):
    """The reason or note typed with a decision or a step of an order."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=REASON_LIMIT,
    )
