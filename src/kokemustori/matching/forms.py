from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.core.forms import StorableDateTimeField
from kokemustori.experts.models import Expert
from kokemustori.kinds import ExpertKind
from kokemustori.taxonomy.models import Region

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


MAX_ID = 2**63 - 1


class ExpertChoiceField(forms.MultipleChoiceField):
    """Expert ids. The field only checks that each is an id; whether the expert may be offered
    the order right now is the form's check (SendOffersForm.clean_experts), which says why not."""

    def valid_value(self, value):
        try:
            return 0 < int(value) <= MAX_ID
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
            "invalid_choice": _("Choose the experts from the list."),
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

    def __init__(self, *args, order, allowed, explain=None, now=None, **kwargs):
        """`allowed(ids)`: those of the chosen ids that may be offered the order now (checked
        when the form is sent, not carried in the page); `explain(ids)`: for the others,
        {id: Reason or None} (matching.candidates.why_not_offerable)."""
        super().__init__(*args, **kwargs)
        self.order = order
        self.now = now or timezone.now()
        self.allowed = allowed
        self.explain = explain or (lambda ids: dict.fromkeys(ids))

    def clean_experts(self):
        chosen = self.cleaned_data["experts"]
        allowed = self.allowed(chosen)
        refused = [pk for pk in chosen if pk not in allowed]
        if not refused:
            return chosen
        explained = self.explain(refused)
        # Named only with a reason, which is given only for the viewer's own experts.
        named = Expert.objects.select_related("user").in_bulk(
            [pk for pk, reason in explained.items() if reason is not None]
        )
        errors = []
        for pk, reason in explained.items():
            if reason is None:
                errors.append(_("An expert you chose can no longer be offered this order."))
            else:
                errors.append(
                    _("%(name)s can no longer be offered this order: %(reason)s")
                    % {"name": named[pk].display_name, "reason": reason.text}
                )
        errors = list(dict.fromkeys(errors))  # one line for several unnamed experts
        errors.append(_("The list has been updated: please choose again."))
        raise forms.ValidationError(errors)

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


class MatchFilterForm(forms.Form):
    """Narrow the list on the matching page (GET). A value that does not fit is dropped with a
    message, and the list is shown unfiltered."""

    own = forms.BooleanField(label=_("Only my organisation's experts"), required=False)
    kind = forms.ChoiceField(label=_("Kind of expert"), required=False)
    region = forms.ModelChoiceField(
        label=_("Works in the region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Any region"),
    )

    def __init__(self, *args, eligible_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any kind that may do this task"))] + [
            (kind.value, kind.label) for kind in ExpertKind if kind.value in eligible_kinds
        ]

    def filters(self, own_organisations):
        """candidates.Filters for a valid form (nothing filtered otherwise)."""
        from_form = self.cleaned_data if self.is_valid() else {}
        region = from_form.get("region")
        return {
            "own_organisations": frozenset(own_organisations) if from_form.get("own") else None,
            "kind": from_form.get("kind") or "",
            "region_id": region.pk if region else None,
        }
