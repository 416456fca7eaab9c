from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from kokemustori.core.forms import BoundedModelMultipleChoiceField
from kokemustori.kinds import TRAINING_REQUIREMENTS, ExpertKind, training_shortfall
from kokemustori.organisations.models import Organisation
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import ExperienceArea, Language, Region, Topic

from .models import PROFILE_CHOICE_FIELDS, Expert, TrainingRecord

CHECKBOXES = forms.CheckboxSelectMultiple


class ExpertProfileForm(forms.ModelForm):
    """What the expert says about themselves: used when applying and when editing later."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    class Meta:
        model = Expert
        fields = [
            "phone",
            "municipality",
            "uses_pseudonym",
            "pseudonym",
            "first_name_public",
            "areas_own",
            "areas_close",
            "experience_story",
            "bio",
            "topics",
            "topics_not_now",
            "languages",
            "regions",
            "works_remotely",
            "task_types",
            "workload_limit",
            "work_preference",
            "monthly_earnings_limit",
            "yearly_earnings_limit",
            "show_areas",
            "show_topics",
            "show_story",
        ]
        field_classes = dict.fromkeys(PROFILE_CHOICE_FIELDS, BoundedModelMultipleChoiceField)
        widgets = {
            "areas_own": CHECKBOXES,
            "areas_close": CHECKBOXES,
            "topics": CHECKBOXES,
            "topics_not_now": CHECKBOXES,
            "languages": CHECKBOXES,
            "regions": CHECKBOXES,
            "task_types": CHECKBOXES,
            "experience_story": forms.Textarea(attrs={"rows": 5}),
            "bio": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None:
            self.fields["first_name"].initial = user.first_name
            self.fields["last_name"].initial = user.last_name
        self.fields["areas_own"].queryset = ExperienceArea.objects.active()
        self.fields["areas_close"].queryset = ExperienceArea.objects.active()
        self.fields["topics"].queryset = Topic.objects.active()
        self.fields["topics_not_now"].queryset = Topic.objects.active()
        self.fields["languages"].queryset = Language.objects.active()
        self.fields["regions"].queryset = Region.objects.active()
        self.fields["task_types"].queryset = TaskType.objects.filter(is_active=True)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def clean(self):
        data = super().clean()
        if data.get("uses_pseudonym") and not (data.get("pseudonym") or "").strip():
            self.add_error("pseudonym", _("Write the pseudonym you want to use."))
        both = set(data.get("topics") or []) & set(data.get("topics_not_now") or [])
        if both:
            self.add_error(
                "topics_not_now",
                _("A topic cannot be both one you speak on and one marked not now: %(topics)s.")
                % {"topics": ", ".join(t.name for t in both)},
            )
        return data

    def save(self, commit=True):
        expert = super().save(commit=False)
        if self.user is not None:
            self.user.first_name = self.cleaned_data["first_name"]
            self.user.last_name = self.cleaned_data["last_name"]
        if commit:
            if self.user is not None:
                self.user.save(update_fields=["first_name", "last_name"])
            expert.save()
            self.save_m2m()
        return expert


class ApplicationForm(ExpertProfileForm):
    """Joining: the profile plus the organisation, the kinds applied for and consent.

    "Save draft" keeps whatever is valid field by field; "Send" also requires completeness.
    """

    organisation = forms.ModelChoiceField(
        label=_("Background organisation"),
        queryset=Organisation.objects.filter(is_active=True, accepts_applications=True),
        empty_label=_("Choose an organisation"),
        help_text=_("The organisation that trains you and coordinates your assignments."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("I apply to be"),
        choices=ExpertKind.choices,
        widget=CHECKBOXES,
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my data is processed as it describes."
        ),
        required=False,
    )

    class Meta(ExpertProfileForm.Meta):
        fields = ["organisation", *ExpertProfileForm.Meta.fields]

    def __init__(self, *args, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        if self.instance.pk:
            self.fields["kinds"].initial = list(
                self.instance.kind_applications.values_list("kind", flat=True)
            )

    def clean(self):
        data = super().clean()
        if not self.submitting:
            return data
        required = {
            "kinds": _("Choose at least one kind of expert to apply for."),
            "languages": _("Choose at least one language you can work in."),
            "consent": _("Your consent is needed before the application can be sent."),
        }
        for name, message in required.items():
            if not data.get(name):
                self.add_error(name, message)
        if not data.get("areas_own") and not data.get("areas_close"):
            self.add_error(
                "areas_own", _("Choose at least one area of your own or a close one's experience.")
            )
        if not data.get("regions") and not data.get("works_remotely"):
            self.add_error("regions", _("Choose a region or tell us that you work remotely."))
        return data


def check_trainings_for_kinds(kinds, trainings) -> dict[str, str]:
    """For each kind that needs training, why none of the entered trainings qualifies.

    `trainings` are unsaved or saved TrainingRecord objects from the formset.
    """
    problems = {}
    for kind in kinds:
        if TRAINING_REQUIREMENTS[kind] is None:
            continue
        reasons = [
            training_shortfall(kind, t.training_type, t.hours, t.start_date, t.end_date)
            for t in trainings
        ]
        if not trainings:
            problems[kind] = str(_("Add the training this kind requires."))
        elif all(reasons):
            problems[kind] = next(r for r in reasons if r)
    return problems


class TrainingForm(forms.ModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["training_type", "organiser", "hours", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "inputmode": "decimal"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Verified or reviewed trainings are not edited by the expert any more.
        if self.instance.pk and self.instance.status != TrainingRecord.PENDING:
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


TrainingFormSet = inlineformset_factory(
    Expert,
    TrainingRecord,
    form=TrainingForm,
    extra=1,
    can_delete=True,
    max_num=10,
    validate_max=True,
)


class ApplyForKindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of expert"), choices=ExpertKind.choices)

    def __init__(self, *args, open_kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if open_kinds is not None:
            # Only the kinds the expert may apply for now (registry.kinds_open_to).
            self.fields["kind"].choices = [
                (value, label) for value, label in ExpertKind.choices if value in open_kinds
            ]
