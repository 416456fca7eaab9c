"""The expert registry's state changes: applying, verifying training, granting kinds, breaks.

Views call these; each records an audit event. Rules about training minimums live in
kokemustori/kinds.py; who may call what lives in rules.py.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kokemustori.audit.log import record
from kokemustori.audit.models import Action
from kokemustori.kinds import ExpertKind, grant_refusal_reason, qualifying_training
from kokemustori.organisations.models import Coordinator

from .models import PRIVACY_NOTICE_VERSION, Expert, ExpertStatus, KindApplication, TrainingRecord
from .rules import coordinates_expert
from .signals import kind_granted, more_verified_trainings


def _require_reviewer(user, expert):
    if not coordinates_expert(user, expert):
        raise PermissionDenied


@transaction.atomic
def submit_application(expert: Expert, kinds) -> Expert:
    """Send the application for review: the chosen kinds become applications."""
    if expert.status not in (ExpertStatus.DRAFT, ExpertStatus.REFUSED):
        raise ValidationError(_("This application has already been sent."))
    now = timezone.now()
    for kind in kinds:
        application, created = KindApplication.objects.get_or_create(expert=expert, kind=kind)
        if not created and application.status == KindApplication.REFUSED:
            application.status = KindApplication.APPLIED
            application.reason = ""
            application.decided_at = None
            application.decided_by = None
            application.save()
    expert.status = ExpertStatus.SUBMITTED
    expert.submitted_at = now
    expert.consent_given_at = now
    expert.privacy_notice_version = PRIVACY_NOTICE_VERSION
    expert.save(
        update_fields=[
            "status",
            "submitted_at",
            "consent_given_at",
            "privacy_notice_version",
            "updated_at",
        ]
    )
    record(expert.user, Action.APPLICATION_SUBMITTED, expert=expert)
    return expert


def set_drafted_kinds(expert: Expert, kinds) -> None:
    """While the application is a draft, remember which kinds the person is applying for."""
    kinds = set(kinds)
    expert.kind_applications.filter(status=KindApplication.APPLIED).exclude(kind__in=kinds).delete()
    existing = set(expert.kind_applications.values_list("kind", flat=True))
    KindApplication.objects.bulk_create(
        KindApplication(expert=expert, kind=kind) for kind in kinds - existing
    )


@transaction.atomic
def kinds_open_to(expert: Expert) -> list[str]:
    """The kinds this expert may apply for now: not held, not waiting for a decision (a
    refused one may be applied for again)."""
    taken = set(
        expert.kind_applications.exclude(status=KindApplication.REFUSED).values_list(
            "kind", flat=True
        )
    )
    return [kind for kind in ExpertKind.values if kind not in taken]


# A typical review time is told only when it rests on this many decisions of the past year.
TYPICAL_FROM = 3


def typical_review_days(organisation, now=None) -> int | None:
    """The median of whole days from applying to the decision, over the organisation's
    decisions of the past 365 days; None below TYPICAL_FROM decisions."""
    now = now or timezone.now()
    spans = sorted(
        (decided - applied).days
        for applied, decided in KindApplication.objects.filter(
            expert__organisation=organisation,
            decided_at__gte=now - timedelta(days=365),
            status__in=[KindApplication.GRANTED, KindApplication.REFUSED],
        ).values_list("applied_at", "decided_at")
    )
    if len(spans) < TYPICAL_FROM:
        return None
    middle = len(spans) // 2
    return spans[middle] if len(spans) % 2 else round((spans[middle - 1] + spans[middle]) / 2)


def reviewers_of(expert: Expert) -> list[str]:
    """The names of the coordinators who decide this expert's applications."""
    posts = Coordinator.objects.filter(
        organisation=expert.organisation_id, is_active=True, user__is_active=True
    ).select_related("user")
    return [post.user.get_full_name() or post.user.email for post in posts.order_by("pk")]


def apply_for_kind(expert: Expert, kind: str) -> KindApplication:
    """An approved expert applies for a further kind (e.g. a developer client who has since
    been trained)."""
    application, created = KindApplication.objects.get_or_create(expert=expert, kind=kind)
    if not created:
        if application.status != KindApplication.REFUSED:
            raise ValidationError(_("You have already applied for this kind."))
        application.status = KindApplication.APPLIED
        application.reason = ""
        application.decided_by = None
        application.decided_at = None
        application.save()
    return application


@transaction.atomic
def verify_training(user, training: TrainingRecord, note: str = "") -> TrainingRecord:
    _require_reviewer(user, training.expert)
    training.status = TrainingRecord.VERIFIED
    training.reviewed_by = user
    training.reviewed_at = timezone.now()
    training.review_note = note
    training.save()
    record(user, Action.TRAINING_VERIFIED, expert=training.expert, detail=f"training {training.pk}")
    return training


@transaction.atomic
def reject_training(user, training: TrainingRecord, note: str) -> TrainingRecord:
    _require_reviewer(user, training.expert)
    if not note.strip():
        raise ValidationError({"note": _("Say why the training cannot be verified.")})
    training.status = TrainingRecord.REJECTED
    training.reviewed_by = user
    training.reviewed_at = timezone.now()
    training.review_note = note
    training.save()
    record(user, Action.TRAINING_REJECTED, expert=training.expert, detail=f"training {training.pk}")
    return training


def _refresh_status(expert: Expert):
    statuses = set(expert.kind_applications.values_list("status", flat=True))
    if KindApplication.GRANTED in statuses:
        new = ExpertStatus.ACTIVE
    elif statuses and statuses <= {KindApplication.REFUSED}:
        new = ExpertStatus.REFUSED
    else:
        new = expert.status
    if new != expert.status:
        expert.status = new
        expert.save(update_fields=["status", "updated_at"])


def verified_for_grant(expert: Expert) -> list:
    """The verified trainings a kind may be granted on: each verified training record, and
    each verified programme of modules as one training (experts.signals). Programmes come
    first, so a refusal gives the reason of the whole programme, not of one of its modules."""
    programmes = []
    for _receiver, more in more_verified_trainings.send(sender=Expert, expert=expert):
        programmes += more
    return programmes + list(expert.verified_trainings())


@transaction.atomic
def grant_kind(user, application: KindApplication, reason: str = "") -> KindApplication:
    """Grant a kind. Refused (ValidationError) unless a verified training meets the minimums."""
    expert = application.expert
    _require_reviewer(user, expert)
    verified = verified_for_grant(expert)
    refusal = grant_refusal_reason(application.kind, verified)
    if refusal:
        raise ValidationError(refusal)
    application.status = KindApplication.GRANTED
    qualifying = qualifying_training(application.kind, verified)
    # A programme is kept as its last module; the reason names the whole programme.
    application.training = (
        qualifying.records[-1]
        if qualifying is not None and hasattr(qualifying, "records")
        else qualifying
    )
    if not reason.strip() and qualifying is not None:
        reason = _("Verified training: %(training)s.") % {"training": qualifying}
    application.reason = reason.strip() or _default_grant_reason(application)
    application.decided_by = user
    application.decided_at = timezone.now()
    application.save()
    record(user, Action.KIND_GRANTED, expert=expert, detail=f"kind application {application.pk}")
    _refresh_status(expert)
    kind_granted.send(sender=KindApplication, application=application, actor=user)
    return application


def _default_grant_reason(application: KindApplication) -> str:
    if application.training is None:
        return _("No training is required for this kind.")
    return _("Verified training: %(training)s.") % {"training": application.training}


@transaction.atomic
def refuse_kind(user, application: KindApplication, reason: str) -> KindApplication:
    expert = application.expert
    _require_reviewer(user, expert)
    if not reason.strip():
        raise ValidationError({"reason": _("Write the reason for the refusal.")})
    application.status = KindApplication.REFUSED
    application.training = None
    application.reason = reason.strip()
    application.decided_by = user
    application.decided_at = timezone.now()
    application.save()
    record(user, Action.KIND_REFUSED, expert=expert, detail=f"kind application {application.pk}")
    _refresh_status(expert)
    return application


def start_break(expert: Expert, actor) -> Expert:
    if not expert.on_break:
        expert.on_break = True
        expert.break_started_at = timezone.now()
        expert.save(update_fields=["on_break", "break_started_at", "updated_at"])
        record(actor, Action.BREAK_STARTED, expert=expert)
    return expert


def end_break(expert: Expert, actor) -> Expert:
    if expert.on_break:
        expert.on_break = False
        expert.break_started_at = None
        expert.save(update_fields=["on_break", "break_started_at", "updated_at"])
        record(actor, Action.BREAK_ENDED, expert=expert)
    return expert


__all__ = [
    "ExpertKind",
    "apply_for_kind",
    "end_break",
    "grant_kind",
    "refuse_kind",
    "set_drafted_kinds",
    "reject_training",
    "start_break",
    "submit_application",
    "verify_training",
]
