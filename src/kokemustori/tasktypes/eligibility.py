"""Who may do which task: the one place where this rule lives.

Eligibility of an expert kind for a piece of work depends on three things:

* the *nature* of the task type (a talk, development work, advocacy, leading a peer-support
  group, client or support-person work, a peer partnership);
* the task type's own table of allowed kinds, which administrators edit in the admin but
  can never widen beyond `PERMITTED_NATURES` below;
* the audience: a talk given to current clients in a group is client work in a group
  situation, which only trained experience experts do.

Education and social status are never criteria; only the kind, which rests on experience
and verified training.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from kokemustori.kinds import ExpertKind


class TaskNature(models.TextChoices):
    TALK = "talk", _("lecture, talk or training")
    DEVELOPMENT = "development", _("development work")
    ADVOCACY = "advocacy", _("advocacy work")
    PEER_GROUP = "peer_group", _("leading a peer-support group")
    CLIENT_WORK = "client_work", _("client or support-person work")
    PEER_PARTNERSHIP = "peer_partnership", _("peer partnership with a client")


CLIENT_WORK_NATURES = frozenset(
    {TaskNature.PEER_GROUP, TaskNature.CLIENT_WORK, TaskNature.PEER_PARTNERSHIP}
)


class Audience(models.TextChoices):
    PROFESSIONALS = "professionals", _("professionals")
    STUDENTS = "students", _("students")
    PATIENTS_RELATIVES = "patients_relatives", _("patients and/or relatives")
    CLIENTS = "clients", _("current clients in a group or one-to-one")
    DECISION_MAKERS = "decision_makers", _("decision-makers")
    PUBLIC = "public", _("general public")
    WORKING_GROUP = "working_group", _("a working group")


# What each kind may ever do. A task type's allowed kinds must stay within this.
PERMITTED_NATURES: dict[str, frozenset[str]] = {
    # Own recovery and the full training: everything except a peer partnership, which rests
    # on the experience of being a child-welfare client parent.
    ExpertKind.TRAINED_EXPERT: frozenset(
        {
            TaskNature.TALK,
            TaskNature.DEVELOPMENT,
            TaskNature.ADVOCACY,
            TaskNature.PEER_GROUP,
            TaskNature.CLIENT_WORK,
        }
    ),
    # Development and advocacy aimed at professionals, students, patients and relatives.
    ExpertKind.EXPERIENCE_ACTOR: frozenset(
        {TaskNature.TALK, TaskNature.DEVELOPMENT, TaskNature.ADVOCACY}
    ),
    # Untrained: development tasks only, never client work in a group or one-to-one.
    ExpertKind.DEVELOPER_CLIENT: frozenset({TaskNature.DEVELOPMENT}),
    # Lectures, development work and peer partnership with a child-welfare client parent.
    ExpertKind.EXPERIENCE_PARTNER: frozenset(
        {TaskNature.TALK, TaskNature.DEVELOPMENT, TaskNature.PEER_PARTNERSHIP}
    ),
}

# Audiences that turn a talk into client work in a group situation.
CLIENT_AUDIENCES = frozenset({Audience.CLIENTS})


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str

    def __bool__(self):
        return self.allowed


def permitted_kinds(nature: str) -> list[str]:
    """The kinds that may ever do a task of this nature, in ExpertKind order."""
    return [kind for kind in ExpertKind.values if nature in PERMITTED_NATURES[kind]]


def is_client_work(nature: str, audience: str | None = None) -> bool:
    return nature in CLIENT_WORK_NATURES or (
        nature == TaskNature.TALK and audience in CLIENT_AUDIENCES
    )


def table_violations(nature: str, allowed_kinds) -> list[str]:
    """Kinds a task type's table allows although the rule above forbids them."""
    return [kind for kind in allowed_kinds if nature not in PERMITTED_NATURES[kind]]


def eligibility(kind: str, task_type, audience: str | None = None) -> Verdict:
    """May an expert of `kind` take a task of `task_type` for `audience`?

    `task_type` is anything with `nature` and `allowed_kinds` (a TaskType).
    """
    label = ExpertKind(kind).label
    nature = task_type.nature
    if nature not in PERMITTED_NATURES[kind]:
        return Verdict(
            False,
            str(
                _("The kind “%(kind)s” may not do this: %(nature)s.")
                % {"kind": label, "nature": TaskNature(nature).label}
            ),
        )
    if kind not in task_type.allowed_kinds:
        return Verdict(
            False,
            str(_("This task type is not open to the kind “%(kind)s”.") % {"kind": label}),
        )
    # A talk to current clients is client work in a group situation.
    if (
        nature == TaskNature.TALK
        and audience in CLIENT_AUDIENCES
        and (kind != ExpertKind.TRAINED_EXPERT)
    ):
        return Verdict(
            False,
            str(_("Client work in a group or one-to-one needs a trained experience expert.")),
        )
    return Verdict(True, str(_("Allowed for the kind “%(kind)s”.") % {"kind": label}))


def eligible_kinds(task_type, audience: str | None = None) -> list[str]:
    return [kind for kind in ExpertKind.values if eligibility(kind, task_type, audience)]
