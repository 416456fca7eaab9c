"""Feedback in aggregate, for coordinators: counts and averages only.

`summarise()` is pure (plain mappings in, dataclasses out) and does the arithmetic; the two
query functions pick the feedback a coordinator is entitled to (that of their own
organisations' experts) and hand it over as plain values. No comment and no single answer
leaves this module attributed to an expert.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kokemustori.core.roles import coordinated_organisation_ids

from .models import Feedback

EXPERT_ON_ORDERER_FIELDS = ("expectations_clear", "time_respected", "treated_as_equal")
ORDERER_ON_ASSIGNMENT_FIELDS = ("overall",)


@dataclass(frozen=True)
class Score:
    field: str
    answered: int
    average: float | None


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    scores: tuple[Score, ...]

    def average(self, field: str) -> float | None:
        return next((s.average for s in self.scores if s.field == field), None)


@dataclass(frozen=True)
class Summary:
    fields: tuple[str, ...]
    overall: Row
    groups: tuple[Row, ...]


def _row(label: str, items: list[Mapping], fields: Iterable[str]) -> Row:
    scores = []
    for field in fields:
        values = [item[field] for item in items if item.get(field) is not None]
        average = round(sum(values) / len(values), 2) if values else None
        scores.append(Score(field, len(values), average))
    return Row(str(label), len(items), tuple(scores))


def _group_key(value) -> str:
    """Names typed by people: 'Vaasa  hospital' and 'vaasa hospital' are the same place."""
    return " ".join(str(value or "").split()).casefold()


def summarise(
    items: Iterable[Mapping],
    fields: Iterable[str],
    *,
    group_by: Callable[[Mapping], object],
    label: Callable[[Mapping], str],
    overall_label: str = "",
) -> Summary:
    """Counts and averages of `fields`, overall and per group.

    Each item is a mapping holding the score fields (None when not answered); `group_by` gives
    its group key and `label` the group's shown name (taken from the first item of the group).
    Groups are sorted by label.
    """
    fields = tuple(fields)
    items = list(items)
    groups: dict[object, list[Mapping]] = {}
    labels: dict[object, str] = {}
    for item in items:
        key = group_by(item)
        groups.setdefault(key, []).append(item)
        labels.setdefault(key, label(item))
    rows = sorted(
        (_row(labels[key], members, fields) for key, members in groups.items()),
        key=lambda row: row.label.casefold(),
    )
    return Summary(fields, _row(overall_label, items, fields), tuple(rows))


def visible_feedback(user):
    """Feedback involving experts of the organisations this user coordinates."""
    return Feedback.objects.filter(expert__organisation_id__in=coordinated_organisation_ids(user))


def expert_on_orderer(feedback) -> Summary:
    """Experts' scores on orderers, per orderer organisation and overall."""
    items = feedback.filter(direction=Feedback.EXPERT_ON_ORDERER).values(
        "order__orderer__organisation_name", *EXPERT_ON_ORDERER_FIELDS
    )
    return summarise(
        items,
        EXPERT_ON_ORDERER_FIELDS,
        group_by=lambda i: _group_key(i["order__orderer__organisation_name"]),
        label=lambda i: (
            " ".join((i["order__orderer__organisation_name"] or "").split())
            or str(_("(no organisation given)"))
        ),
        overall_label=str(_("All orderers")),
    )


def orderer_on_assignment(feedback) -> Summary:
    """Orderers' scores on assignments, per expert and overall."""
    items = feedback.filter(direction=Feedback.ORDERER_ON_ASSIGNMENT).values(
        "expert_id",
        "expert__user__first_name",
        "expert__user__last_name",
        "expert__uses_pseudonym",
        "expert__pseudonym",
        *ORDERER_ON_ASSIGNMENT_FIELDS,
    )
    return summarise(
        items,
        ORDERER_ON_ASSIGNMENT_FIELDS,
        group_by=lambda i: i["expert_id"],
        label=_expert_label,
        overall_label=str(_("All experts")),
    )


def _expert_label(item: Mapping) -> str:
    # Coordinators of the expert's own organisation know the legal name.
    name = " ".join(
        part for part in (item["expert__user__first_name"], item["expert__user__last_name"]) if part
    )
    if item.get("expert__uses_pseudonym") and item.get("expert__pseudonym"):
        name = f"{name} ({item['expert__pseudonym']})" if name else item["expert__pseudonym"]
    return name or str(_("Experience expert %(number)s") % {"number": item["expert_id"]})
