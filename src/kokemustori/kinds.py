"""Kinds of expert and the training each needs before a coordinator may grant it.

The titles are not interchangeable (see docs/glossary.md). A kind that requires training is
granted only on a *verified* training record that meets the minimums below.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertKind(models.TextChoices):
    TRAINED_EXPERT = "trained_expert", _("trained experience expert")
    EXPERIENCE_ACTOR = "experience_actor", _("experience actor")
    DEVELOPER_CLIENT = "developer_client", _("developer client")
    EXPERIENCE_PARTNER = "experience_partner", _("experience partner")


class TrainingType(models.TextChoices):
    EXPERT = "expert", _("experience-expert training")
    ACTOR = "actor", _("experience-actor training")
    PARTNER = "partner", _("experience-partner training")


@dataclass(frozen=True)
class TrainingRequirement:
    accepted_types: frozenset[str]
    min_hours: Decimal
    min_months: int


TRAINING_REQUIREMENTS: dict[str, TrainingRequirement | None] = {
    ExpertKind.TRAINED_EXPERT: TrainingRequirement(
        frozenset({TrainingType.EXPERT}), Decimal(50), 4
    ),
    # A full experience-expert training also covers the shorter experience-actor one.
    ExpertKind.EXPERIENCE_ACTOR: TrainingRequirement(
        frozenset({TrainingType.ACTOR, TrainingType.EXPERT}), Decimal(45), 0
    ),
    ExpertKind.EXPERIENCE_PARTNER: TrainingRequirement(
        frozenset({TrainingType.PARTNER}), Decimal(0), 0
    ),
    ExpertKind.DEVELOPER_CLIENT: None,
}


def whole_months_between(start: date, end: date) -> int:
    """Full calendar months from start to end (15 Jan to 14 May is 3, to 15 May is 4)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def requires_training(kind: str) -> bool:
    return TRAINING_REQUIREMENTS[kind] is not None


def training_shortfall(
    kind: str, training_type: str, hours: Decimal, start: date, end: date
) -> str | None:
    """Why this training does not qualify for the kind, or None when it does."""
    requirement = TRAINING_REQUIREMENTS[kind]
    if requirement is None:
        return None
    if training_type not in requirement.accepted_types:
        return str(_("This kind of training does not qualify for this kind of expert."))
    if Decimal(hours) < requirement.min_hours:
        return str(
            _("The training has %(hours)s hours; at least %(minimum)s are required.")
            % {"hours": _format_hours(hours), "minimum": _format_hours(requirement.min_hours)}
        )
    if requirement.min_months and whole_months_between(start, end) < requirement.min_months:
        return str(
            _("The training must be spread over at least %(months)s months.")
            % {"months": requirement.min_months}
        )
    return None


def _format_hours(hours) -> str:
    value = Decimal(hours).normalize()
    return f"{value:f}".replace(".", ",") if value != value.to_integral() else f"{value:.0f}"


def grant_refusal_reason(kind: str, verified_trainings) -> str | None:
    """Why the kind cannot be granted on these verified trainings, or None if it can.

    `verified_trainings` are objects with training_type, hours, start_date and end_date.
    """
    if not requires_training(kind):
        return None
    reasons = []
    for record in verified_trainings:
        reason = training_shortfall(
            kind, record.training_type, record.hours, record.start_date, record.end_date
        )
        if reason is None:
            return None
        reasons.append(reason)
    if not reasons:
        return str(_("No verified training qualifies for this kind of expert."))
    return reasons[0]


def qualifying_training(kind: str, verified_trainings):
    """The first verified training that qualifies for the kind, if any."""
    for record in verified_trainings:
        if (
            training_shortfall(
                kind, record.training_type, record.hours, record.start_date, record.end_date
            )
            is None
        ):
            return record
    return None
