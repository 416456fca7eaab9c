"""Fee records: made when an agreement is accepted by both parties, then approved and marked
paid by a coordinator of the expert's organisation. The order pending -> approved -> paid is
enforced with conditional UPDATEs, so two coordinators clicking at once cannot skip a step."""

import zoneinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.audit.log import record as audit
from kokemustori.audit.models import Action
from kokemustori.core.money import number
from kokemustori.offers.models import FeeType

from .models import FeeRecord, FeeStatus
from .schedule import ZERO

# Expenses of one assignment above this are a typing mistake or a matter for the coordinator.
MAX_EXPENSES = Decimal("5000.00")
MAX_NOTE_LENGTH = 2000
CENT = Decimal("0.01")


def local_date(moment):
    """The date of a moment in the installation's time zone (Finland), not the reader's."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


def _fee_for(agreement: Agreement) -> Decimal:
    """The agreed fee; nothing when the expert declined it. The agreement is the written
    term (it already holds the schedule's figure when the orderer accepted the schedule), so
    a later edit of the schedule does not change what was agreed."""
    if agreement.fee_type == FeeType.DECLINED:
        return ZERO
    return agreement.fee_amount


def create_for_agreement(agreement: Agreement) -> FeeRecord:
    """The fee record of an agreement both parties have accepted. Idempotent: calling it again
    returns the existing record unchanged."""
    existing = FeeRecord.objects.filter(agreement=agreement).first()
    if existing is not None:
        return existing
    if agreement.state != AgreementState.ACCEPTED:
        raise ValidationError(
            _("A fee record is made only when both parties have accepted the agreement.")
        )
    expert = agreement.expert
    try:
        with transaction.atomic():
            record = FeeRecord.objects.create(
                agreement=agreement,
                expert=expert,
                organisation_id=expert.organisation_id,
                assignment_date=local_date(agreement.starts_at),
                fee_amount=_fee_for(agreement),
                fee_type=agreement.fee_type,
            )
            # Made by the second acceptance, not by a person: no actor.
            _audit(None, Action.FEE_CREATED, record)
            return record
    except IntegrityError:
        # Another request made it at the same moment.
        return FeeRecord.objects.get(agreement=agreement)


def clean_expenses(amount, note: str = "") -> tuple[Decimal, str]:
    """Validate expenses typed by a person. Raises ValidationError keyed by field."""
    errors = {}
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        errors["amount"] = [_("Write the expenses in euros as a number, e.g. 12.50.")]
    elif value < 0:
        errors["amount"] = [_("Expenses cannot be negative.")]
    elif value > MAX_EXPENSES:
        errors["amount"] = [
            _(
                "Expenses over %(max)s € cannot be entered here. Please check the amount or "
                "contact your coordinator."
            )
            % {"max": number(MAX_EXPENSES, 2)}
        ]
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        errors["note"] = [_("Keep the note under %(max)s characters.") % {"max": MAX_NOTE_LENGTH}]
    if errors:
        raise ValidationError(errors)
    return value.quantize(CENT, ROUND_HALF_UP), note


def set_expenses(user, record: FeeRecord, amount, note: str = "") -> FeeRecord:
    """The expert or a coordinator of their organisation records the expenses, before the
    fee record is approved."""
    if not rules.has_perm("fees.edit_expenses", user, record):
        raise PermissionDenied
    amount, note = clean_expenses(amount, note)
    updated = FeeRecord.objects.filter(pk=record.pk, status=FeeStatus.PENDING).update(
        expenses_amount=amount, expenses_note=note
    )
    if not updated:
        raise ValidationError(
            _("The fee has already been approved. Ask your coordinator to correct the expenses.")
        )
    record.refresh_from_db()
    _audit(user, Action.FEE_EXPENSES_SET, record)
    return record


def _step(user, record: FeeRecord, source: str, changes: dict, error: str) -> FeeRecord:
    if not rules.has_perm("fees.manage_record", user, record):
        raise PermissionDenied
    updated = FeeRecord.objects.filter(pk=record.pk, status=source).update(**changes)
    record.refresh_from_db()
    if not updated:
        raise ValidationError(error % {"status": record.get_status_display()})
    return record


def _audit(user, action, record: FeeRecord) -> None:
    """Every change of a fee goes to the organisation's audit log (by number, no names)."""
    audit(
        user,
        action,
        expert=record.expert,
        organisation=record.organisation,
        detail=f"fee record {record.pk}: {record.total} €",
    )


@transaction.atomic
def approve(user, record: FeeRecord) -> FeeRecord:
    record = _step(
        user,
        record,
        FeeStatus.PENDING,
        {"status": FeeStatus.APPROVED, "approved_by": user, "approved_at": timezone.now()},
        _("Only a fee waiting for approval can be approved. This one is %(status)s."),
    )
    _audit(user, Action.FEE_APPROVED, record)
    return record


@transaction.atomic
def mark_paid(user, record: FeeRecord) -> FeeRecord:
    record = _step(
        user,
        record,
        FeeStatus.APPROVED,
        {"status": FeeStatus.PAID, "paid_by": user, "paid_at": timezone.now()},
        _("Only an approved fee can be marked paid. This one is %(status)s."),
    )
    _audit(user, Action.FEE_PAID, record)
    return record
