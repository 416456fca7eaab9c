from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


def _attrs(attrs) -> str:
    """HTML attributes as Django's attrs.html writes them: True as a bare name, False left
    out, everything else escaped."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A select that writes its options in Python rather than through one template include
    each: the same HTML as Django's select.html, at a fraction of the time for a long list
    (the catalogue's filters render a few hundred options per page)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html('<option value="{}"', str(option["value"]))
                    + _attrs(option["attrs"])
                    + format_html(">{}</option>", option["label"])
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)
