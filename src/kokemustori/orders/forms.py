from django import forms
from django.utils.translation import gettext_lazy as _

from kokemustori.core.forms import StorableDateTimeField
from kokemustori.organisations.models import Organisation
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import Language, Region, Topic

from .models import AccessArrangement, Order

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MINUTES = {"min": "0", "step": "5", "inputmode": "numeric"}


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
            "event_minutes": forms.NumberInput(attrs=MINUTES),
            "preparation_minutes": forms.NumberInput(attrs=MINUTES),
            "planning_minutes": forms.NumberInput(attrs=MINUTES),
            "debrief_minutes": forms.NumberInput(attrs=MINUTES),
            "travel_minutes": forms.NumberInput(attrs=MINUTES),
            "fee_amount": forms.NumberInput(
                attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
            ),
        }
        help_texts = {
            "expectations": _("The expert's role, and what they should prepare."),
            "topic_delimitation": _("For lectures: what exactly the talk should cover."),
            "audience_notes": _("For lectures: who is listening, and anything special about them."),
            "working_group": _("For development work: who is in the group."),
            "role_introduction": _(
                "For development work: how the group will be told why the expert is there."
            ),
            "event_minutes": _(
                "Minutes. The time asked is shown to the expert before they answer."
            ),
            "debrief_by": _(
                "A short conversation after the assignment about how it went and felt."
            ),
            "confidentiality_scope": _("If confidentiality applies: what it covers."),
            "client_involved_from_start": _("For peer partnership only."),
        }

    def __init__(self, *args, orderer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["organisation"].empty_label = _("The whole network")
        self.fields["task_type"].queryset = TaskType.objects.filter(is_active=True)
        self.fields["task_type"].required = False
        self.fields["task_type"].empty_label = _("Choose a task type")
        self.fields["topic"].queryset = Topic.objects.active()
        self.fields["language"].queryset = Language.objects.active()
        self.fields["region"].queryset = Region.objects.active()
        self.fields["audience"].choices = [
            ("", _("Choose the audience")),
            *self.fields["audience"].choices[1:],
        ]
        self.fields["fee_choice"].choices = [c for c in self.fields["fee_choice"].choices if c[0]]
        self.fields["fee_choice"].required = False
        # A draft may be saved with anything filled in; completeness is checked on sending.
        for name, field in self.fields.items():
            if name != "title":
                field.required = False
        if orderer is not None and not self.instance.pk:
            # ModelForm has already put the new order's empty values in `initial`.
            defaults = {
                "contact_name": orderer.user.get_full_name(),
                "contact_phone": orderer.phone,
                "contact_email": orderer.user.email,
            }
            for name, value in defaults.items():
                if not self.initial.get(name):
                    self.initial[name] = value

    def clean_experts_needed(self):
        return self.cleaned_data.get("experts_needed") or 1

    def clean(self):
        data = super().clean()
        starts, planning, debrief = (
            data.get("starts_at"),
            data.get("planning_meeting_at"),
            data.get("debrief_at"),
        )
        if starts and planning and planning > starts:
            self.add_error(
                "planning_meeting_at", _("The planning meeting is held before the assignment.")
            )
        if starts and debrief and debrief < starts:
            self.add_error("debrief_at", _("The debrief is held after the assignment, not before."))
        return data
