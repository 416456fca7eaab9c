from django import forms
from django.utils.translation import gettext_lazy as _

from kokemustori.core.forms import StorableDateTimeField
from kokemustori.organisations.models import Organisation
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import Language, Region, Topic

from .durations import format_minutes, parse_minutes
from .models import AccessArrangement, Order

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MINUTE_FIELDS = (
    "event_minutes",
    "preparation_minutes",
    "planning_minutes",
    "debrief_minutes",
    "travel_minutes",
)
# Widgets on which the ARIA attribute is allowed (not on a radio or checkbox group).
ARIA_REQUIRED_WIDGETS = (forms.TextInput, forms.Textarea, forms.Select, forms.NumberInput)


class DurationInput(forms.TextInput):
    def format_value(self, value):
        if isinstance(value, int):
            return format_minutes(value)
        return super().format_value(value)


class MinutesField(forms.Field):
    """A time typed as "90", "1 h 30 min" or "1:30" (orders.durations), kept as minutes."""

    widget = DurationInput

    def __init__(self, *, min_value=None, max_value=None, step_size=None, **kwargs):
        # The model's field offers number bounds; its validators check them on the order.
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_minutes("" if value is None else value)  # 0 is an answer


class OrderForm(forms.ModelForm):
    """The order (Tilaa kokemusosaaja). Field-level validation only: completeness is checked
    when the order is sent (orders.completeness), so a draft can be saved at any time."""

    access_arrangements = forms.MultipleChoiceField(
        label=_("Access arrangements you offer"),
        choices=AccessArrangement.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Order
        fields = [
            "organisation",
            "task_type",
            "title",
            "topic",
            "description",
            "audience",
            "audience_size",
            "audience_notes",
            "topic_delimitation",
            "working_group",
            "role_introduction",
            "client_involved_from_start",
            "client_has_agreed",
            "starts_at",
            "alternative_times",
            "is_remote",
            "location",
            "remote_link",
            "region",
            "language",
            "experts_needed",
            "expectations",
            "event_minutes",
            "preparation_minutes",
            "planning_minutes",
            "debrief_minutes",
            "travel_minutes",
            "fee_choice",
            "fee_amount",
            "travel_costs",
            "planning_meeting",
            "planning_meeting_at",
            "debrief_by",
            "debrief_at",
            "confidentiality",
            "confidentiality_scope",
            "access_arrangements",
            "access_notes",
            "notice_days",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        field_classes = {
            "starts_at": StorableDateTimeField,
            "planning_meeting_at": StorableDateTimeField,
            "debrief_at": StorableDateTimeField,
            **dict.fromkeys(MINUTE_FIELDS, MinutesField),
        }
        widgets = {
            "starts_at": forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
            "planning_meeting_at": forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
            "debrief_at": forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
            "fee_choice": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "expectations": forms.Textarea(attrs={"rows": 4}),
            "audience_notes": forms.Textarea(attrs={"rows": 2}),
            "topic_delimitation": forms.Textarea(attrs={"rows": 2}),
            "working_group": forms.Textarea(attrs={"rows": 2}),
            "role_introduction": forms.Textarea(attrs={"rows": 2}),
            "alternative_times": forms.Textarea(attrs={"rows": 2}),
            "travel_costs": forms.Textarea(attrs={"rows": 2}),
            "confidentiality_scope": forms.Textarea(attrs={"rows": 2}),
            "access_notes": forms.Textarea(attrs={"rows": 2}),
            "fee_amount": forms.NumberInput(
                attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
            ),
        }
        # The model's labels say "(minutes)"; the form reads hours and minutes too.
        labels = {
            "event_minutes": _("Length of the event itself"),
            "preparation_minutes": _("Preparation time"),
            "planning_minutes": _("Length of the planning meeting"),
            "debrief_minutes": _("Length of the debrief"),
            "travel_minutes": _("Travel time"),
        }
        help_texts = {
            "expectations": _("The expert's role, and what they should prepare."),
            "topic_delimitation": _("For lectures: what exactly the talk should cover."),
            "audience_notes": _("For lectures: who is listening, and anything special about them."),
            "working_group": _("For development work: who is in the group."),
            "role_introduction": _(
                "For development work: how the group will be told why the expert is there."
            ),
            **dict.fromkeys(
                MINUTE_FIELDS, _("For example 45 min, 1 h 30 min or 1:30. Write 0 if none.")
            ),
            "event_minutes": _(
                "For example 1 h 30 min or 90 min. The time asked is shown to the expert "
                "before they answer."
            ),
            "debrief_by": _(
                "A short conversation after the assignment about how it went and felt."
            ),
            "confidentiality_scope": _("If confidentiality applies: what it covers."),
            "client_involved_from_start": _("For peer partnership only."),
        }

    def __init__(self, *args, orderer=None, only=None, needed=(), **kwargs):
        """`only`: the fields of one step (orders.steps), the rest left as stored;
        `needed`: the fields sending requires, marked required on the page."""
        super().__init__(*args, **kwargs)
        if only is not None:
            for name in [n for n in self.fields if n not in only]:
                del self.fields[name]
            self.order_fields(only)  # the step's order, not the model's
        self._configure(orderer)
        for name in needed:
            if name in self.fields:
                field = self.fields[name]
                field.needed_to_send = True
                field.widget.attrs["required"] = True
                if isinstance(field.widget, ARIA_REQUIRED_WIDGETS):
                    field.widget.attrs["aria-required"] = "true"

    def _configure(self, orderer):
        fields = self.fields
        querysets = {
            "organisation": Organisation.objects.filter(is_active=True),
            "task_type": TaskType.objects.filter(is_active=True),
            "topic": Topic.objects.active(),
            "language": Language.objects.active(),
            "region": Region.objects.active(),
        }
        for name, queryset in querysets.items():
            if name in fields:
                fields[name].queryset = queryset
        if "organisation" in fields:
            fields["organisation"].empty_label = _("The whole network")
        if "task_type" in fields:
            fields["task_type"].empty_label = _("Choose a task type")
        if "audience" in fields:
            fields["audience"].choices = [
                ("", _("Choose the audience")),
                *fields["audience"].choices[1:],
            ]
        if "fee_choice" in fields:
            fields["fee_choice"].choices = [c for c in fields["fee_choice"].choices if c[0]]
        # A draft may be saved with anything filled in; completeness is checked on sending.
        for name, field in fields.items():
            if name != "title":
                field.required = False
        self.contact_defaults = (
            {
                "contact_name": orderer.user.get_full_name(),
                "contact_phone": orderer.phone,
                "contact_email": orderer.user.email,
            }
            if orderer is not None
            else {}
        )
        if not self.instance.pk:
            # ModelForm has already put the new order's empty values in `initial`.
            for name, value in self.contact_defaults.items():
                if not self.initial.get(name):
                    self.initial[name] = value

    def save(self, commit=True):
        order = super().save(commit=False)
        if not order.pk:
            # A new order starts with the orderer as its contact, whichever step shows it.
            for name, value in self.contact_defaults.items():
                if name not in self.fields and not getattr(order, name):
                    setattr(order, name, value)
        if commit:
            order.save()
        return order

    def clean_experts_needed(self):
        return self.cleaned_data.get("experts_needed") or 1

    def clean(self):
        data = super().clean()
        # A step holds some of these times; the others are compared as stored.
        starts, planning, debrief = (
            data.get(name) if name in self.fields else getattr(self.instance, name)
            for name in ("starts_at", "planning_meeting_at", "debrief_at")
        )
        # Checked on the step that holds the later time (completeness checks the debrief too).
        if starts and planning and planning > starts and "planning_meeting_at" in self.fields:
            self.add_error(
                "planning_meeting_at", _("The planning meeting is held before the assignment.")
            )
        if starts and debrief and debrief < starts and "debrief_at" in self.fields:
            self.add_error("debrief_at", _("The debrief is held after the assignment, not before."))
        return data
