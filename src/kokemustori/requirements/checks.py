"""Does an expert meet an order's requirements? The one rule, in two forms:

* `unmet(needs, held)`: pure, no database: the reasons an expert with record `held` does not
  meet `needs` (an empty list: they do);
* `filter_experts(qs, order)`: the same rule as a filter on a queryset of experts, in SQL
  (one EXISTS per requirement), for matching's prefilter.

A qualification counts when it is valid on the day of the assignment (or today, for an order
with no date yet, or one whose date has passed): `valid_until` empty or on or after that day.
A language level meets every lower level (`models.LEVELS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kokemustori.orders.models import Order

from .models import (
    LanguageLevel,
    OrderRequirements,
    Qualification,
    QualificationKind,
    levels_at_least,
)

K = QualificationKind


@dataclass(frozen=True)
class Needs:
    """What an order requires, and the day on which it must hold."""

    day: date
    criminal_record: bool = False
    hospital_hygiene: bool = False
    language_id: int | None = None
    language_name: str = ""
    language_level: str = ""

    def __bool__(self):
        return self.criminal_record or self.hospital_hygiene or bool(self.language_level)

    def texts(self) -> list[str]:
        """The requirements as the matching page lists them."""
        out = []
        if self.criminal_record:
            out.append(_("a criminal-record extract seen by a coordinator"))
        if self.hospital_hygiene:
            out.append(_("hospital hygiene training"))
        if self.language_level:
            out.append(
                _("%(language)s at least at the level: %(level)s")
                % {
                    "language": self.language_name,
                    "level": LanguageLevel(self.language_level).label,
                }
            )
        return out


@dataclass(frozen=True)
class Held:
    """What is recorded of one expert: for each kind, until when it counts (None: no end).
    A kind not in `valid_until` is not recorded at all."""

    valid_until: dict = field(default_factory=dict)  # kind -> date or None
    language_levels: dict = field(default_factory=dict)  # language id -> (level, date or None)


def _valid(until: date | None, day: date) -> bool:
    return until is None or until >= day


def _date(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def unmet(needs: Needs, held: Held) -> list[str]:
    """Why an expert with this record does not meet the order's requirements ([]: they do)."""
    reasons = []
    for kind, missing, expired in (
        (
            K.CRIMINAL_RECORD,
            _("No coordinator has recorded seeing their criminal-record extract."),
            _("The criminal-record extract they showed counts only until %(date)s."),
        ),
        (
            K.HOSPITAL_HYGIENE,
            _("Hospital hygiene training is not recorded."),
            _("Their hospital hygiene training counts only until %(date)s."),
        ),
    ):
        if not getattr(needs, kind):
            continue
        if kind not in held.valid_until:
            reasons.append(missing)
        elif not _valid(held.valid_until[kind], needs.day):
            reasons.append(expired % {"date": _date(held.valid_until[kind])})
    if needs.language_level:
        level, until = held.language_levels.get(needs.language_id, ("", None))
        wanted = LanguageLevel(needs.language_level).label
        if level not in levels_at_least(needs.language_level):
            reasons.append(
                _("%(language)s at the level %(level)s is not recorded.")
                % {"language": needs.language_name, "level": wanted}
            )
        elif not _valid(until, needs.day):
            reasons.append(
                _("Their level in %(language)s counts only until %(date)s.")
                % {"language": needs.language_name, "date": _date(until)}
            )
    return reasons


def needs_of(order: Order, *, today: date | None = None) -> Needs:
    """The order's requirements (nothing required when none are set)."""
    today = today or timezone.localdate()
    day = today
    if order.starts_at:
        day = max(day, timezone.localtime(order.starts_at).date())
    row = OrderRequirements.objects.filter(order_id=order.pk).first()
    if row is None:
        return Needs(day=day)
    language = order.language if order.language_id and row.language_level else None
    return Needs(
        day=day,
        criminal_record=row.criminal_record,
        hospital_hygiene=row.hospital_hygiene,
        language_id=language.pk if language else None,
        language_name=language.name if language else "",
        language_level=row.language_level if language else "",
    )


def _counts(day: date):
    return Q(valid_until__isnull=True) | Q(valid_until__gte=day)


def filter_experts(qs, order: Order, *, today: date | None = None):
    """Only the experts of `qs` who meet `order`'s requirements (`qs` as it was if it has
    none): one EXISTS per requirement, so the database does it whatever the number."""
    needs = needs_of(order, today=today)
    if not needs:
        return qs
    mine = Qualification.objects.filter(_counts(needs.day), expert_id=OuterRef("pk"))
    if needs.criminal_record:
        qs = qs.filter(Exists(mine.filter(kind=K.CRIMINAL_RECORD)))
    if needs.hospital_hygiene:
        qs = qs.filter(Exists(mine.filter(kind=K.HOSPITAL_HYGIENE)))
    if needs.language_level:
        qs = qs.filter(
            Exists(
                mine.filter(
                    kind=K.LANGUAGE,
                    language_id=needs.language_id,
                    level__in=levels_at_least(needs.language_level),
                )
            )
        )
    return qs


def held_by(expert_ids) -> dict[int, Held]:
    """The records of these experts (one query)."""
    valid: dict[int, dict] = {}
    levels: dict[int, dict] = {}
    for expert_id, kind, language_id, level, until in Qualification.objects.filter(
        expert_id__in=list(expert_ids)
    ).values_list("expert_id", "kind", "language_id", "level", "valid_until"):
        if kind == K.LANGUAGE:
            levels.setdefault(expert_id, {})[language_id] = (level, until)
        else:
            valid.setdefault(expert_id, {})[kind] = until
    return {
        pk: Held(valid_until=valid.get(pk, {}), language_levels=levels.get(pk, {}))
        for pk in expert_ids
    }


def unmet_by_expert(order: Order, expert_ids, *, today: date | None = None) -> dict[int, str]:
    """{expert id: why not, as one line} for those of `expert_ids` who do not meet the order's
    requirements. For matching's `why_not_offerable`."""
    needs = needs_of(order, today=today)
    if not needs:
        return {}
    ids = sorted({int(pk) for pk in expert_ids})
    out = {}
    for pk, held in held_by(ids).items():
        reasons = unmet(needs, held)
        if reasons:
            out[pk] = " ".join(reasons)
    return out
