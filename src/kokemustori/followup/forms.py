from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kokemustori.core.forms import StorableDateTimeField

from .services import SCORE_ERROR

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
TEXT_LIMIT = 3000


def _when(label):
    return StorableDateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
        error_messages={
            "required": _("Give the date and time."),
            "invalid": _("Give the date and time, for example 2026-03-14 13:30."),
        },
    )


def _text(label, *, required=False, help_text="", rows=4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ScoreField(forms.TypedChoiceField):
    """A rating of 1-5 shown as a radio fieldset: the field's label becomes its legend."""

    def __init__(self, *, label, low, high, **kwargs):
        choices = [
            (1, format_lazy("1 – {}", low)),
            (2, "2"),
            (3, "3"),
            (4, "4"),
            (5, format_lazy("5 – {}", high)),
        ]
        super().__init__(
            label=label,
            choices=choices,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": SCORE_ERROR, "invalid_choice": SCORE_ERROR},
            **kwargs,
        )


class PlanningForm(forms.Form):
    held_at = _when(_("When the planning meeting was held"))
    notes = _text(
        _("What was agreed"),
        help_text=_("Goals, schedule, place, the working group, wishes for the expert's role."),
        rows=6,
    )


class DebriefHeldForm(forms.Form):
    """What the orderer may record: that the debrief was held, when and by whom."""

    held_at = _when(_("When the debrief was held"))
    held_by = forms.CharField(label=_("Who held it"), max_length=200)


class DebriefForm(DebriefHeldForm):
    """The whole debrief: for the expert and the coordinators of the expert's organisation."""

    feelings = _text(_("How did the assignment feel?"))
    evaluation = _text(_("How did the assignment go?"))
    wants_support = forms.BooleanField(
        label=_("I would like support"),
        required=False,
        help_text=_(
            "A coordinator of your organisation will contact you, for example about "
            "work supervision."
        ),
    )

    def __init__(self, *args, for_expert=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_expert:
            self.fields["feelings"].label = _("How the assignment felt to the expert")
            self.fields["evaluation"].label = _("How the assignment went")
            self.fields["wants_support"].label = _("The expert would like support")
            self.fields["wants_support"].help_text = _(
                "The coordinators of the expert's organisation see this on their support page."
            )


class OrdererFeedbackForm(forms.Form):
    overall = ScoreField(
        label=_("How did the assignment go overall?"), low=_("poorly"), high=_("very well")
    )
    comment = _text(_("Comment"))


class ExpertFeedbackForm(forms.Form):
    expectations_clear = ScoreField(
        label=_("What was expected of me was clear"),
        low=_("not at all"),
        high=_("fully"),
    )
    time_respected = ScoreField(
        label=_("The time agreed was respected"), low=_("not at all"), high=_("fully")
    )
    treated_as_equal = ScoreField(
        label=_("I was treated as an equal"), low=_("not at all"), high=_("fully")
    )
    comment = _text(_("Comment"))
