"""The period chooser of the reports page (a GET form)."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from kokemustori.kinds import ExpertKind
from kokemustori.organisations.models import Organisation
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import Region

from .figures import Period, Scope

# The monthly table and chart stay readable, and the queries cheap, up to this span.
MAX_DAYS = 366 * 5
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodForm(forms.Form):
    MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
    KIND_CHOICES = [
        (MONTH, _("a month")),
        (QUARTER, _("a quarter")),
        (YEAR, _("a year")),
        (CUSTOM, _("from a date to a date")),
    ]
    kind = forms.ChoiceField(label=_("Period"), choices=KIND_CHOICES, required=False)
    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", "–")] + [(q, f"Q{q}") for q in range(1, 5)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=[("", "–")] + [(m, MONTHS[m]) for m in range(1, 13)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("all"),
    )
    task_type = forms.ModelChoiceField(
        label=_("Task type"), queryset=TaskType.objects.all(), required=False, empty_label=_("all")
    )
    expert_kind = forms.ChoiceField(
        label=_("Kind of expert"),
        choices=[("", _("all"))] + list(ExpertKind.choices),
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("all")
    )

    def __init__(self, *args, organisations=None, for_orderer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_orderer = for_orderer
        if for_orderer:
            # Orderers see nothing about experts or about the background organisations.
            del self.fields["organisation"]
            del self.fields["expert_kind"]
        else:
            self.fields["organisation"].queryset = (
                organisations if organisations is not None else Organisation.objects.none()
            ).order_by("name")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        kind = data.get("kind") or self.YEAR
        today = timezone.localdate()
        year = data.get("year") or today.year
        if kind == self.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Give the first day of the period."))
            if not end:
                self.add_error("end", _("Give the last day of the period."))
            if start and end:
                if end < start:
                    self.add_error("end", _("The last day cannot be before the first day."))
                elif (end - start).days > MAX_DAYS:
                    self.add_error("end", _("Choose a period of at most five years."))
                elif not (start.year >= FIRST_YEAR and end.year <= LAST_YEAR):
                    self.add_error("start", _("Choose dates between 2000 and 2100."))
            if self.errors:
                return data
        elif kind == self.MONTH:
            month = data.get("month") or today.month
            start = date(year, month, 1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        elif kind == self.QUARTER:
            quarter = data.get("quarter") or (today.month - 1) // 3 + 1
            start = date(year, 3 * quarter - 2, 1)
            end = (date(year, 3 * quarter, 1) + timedelta(days=32)).replace(day=1) - timedelta(
                days=1
            )
        else:
            start, end = date(year, 1, 1), date(year, 12, 31)
        data["period"] = Period(start, end)
        return data


def period_from(params, **kwargs) -> tuple[PeriodForm, Period | None]:
    """The form bound to the query string (or to this year when none is given), and its
    period when valid."""
    if not params:
        params = {"kind": PeriodForm.YEAR, "year": timezone.localdate().year}
    form = PeriodForm(params, **kwargs)
    if form.is_valid():
        return form, form.cleaned_data["period"]
    return form, None


def scope_from(form: PeriodForm, organisation_ids, orderer_organisation=None) -> Scope:
    """The scope of a valid form: the reader's organisations (or the one chosen) or the
    orderer's organisation, narrowed by the filters."""
    data = form.cleaned_data
    chosen = data.get("organisation")
    task_type, region = data.get("task_type"), data.get("region")
    return Scope(
        organisation_ids=frozenset([chosen.pk] if chosen else organisation_ids),
        orderer_organisation=orderer_organisation,
        task_type_id=task_type.pk if task_type else None,
        region_id=region.pk if region else None,
        kind=data.get("expert_kind") or "",
    )
