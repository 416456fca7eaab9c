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

from .models import FeeRecord, FeeStatus, MileageRate
from .schedule import ZERO

# Expenses of one assignment above this are a typing mistake or a matter for the coordinator.
MAX_EXPENSES = Decimal("5000.00")
MAX_NOTE_LENGTH = 2000
MAX_KILOMETRES = Decimal("5000")
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
    returns the existing record; when a changed version of the agreement has been accepted
    (agreements.services.amend) a record not yet approved takes its fee and date."""
    existing = FeeRecord.objects.filter(agreement=agreement).first()
    if existing is not None:
        if existing.status == FeeStatus.PENDING and agreement.state == AgreementState.ACCEPTED:
            FeeRecord.objects.filter(pk=existing.pk, status=FeeStatus.PENDING).update(
                fee_amount=_fee_for(agreement), assignment_date=local_date(agreement.starts_at)
            )
            existing.refresh_from_db()
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


def _euros(value, field: str, errors: dict) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value or "0").strip())
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        errors[field] = [_("Write the expenses in euros as a number, e.g. 12.50.")]
        return ZERO
    if amount < 0:
        errors[field] = [_("Expenses cannot be negative.")]
        return ZERO
    if amount > MAX_EXPENSES:
        errors[field] = [
            _(
                "Expenses over %(max)s € cannot be entered here. Please check the amount or "
                "contact your coordinator."
            )
            % {"max": number(MAX_EXPENSES, 2)}
        ]
        return ZERO
    return amount.quantize(CENT, ROUND_HALF_UP)


def mileage_rate(year: int) -> Decimal | None:
    return MileageRate.objects.filter(year=year).values_list("rate", flat=True).first()


def clean_expenses(
    amount, note: str = "", *, public_transport=0, kilometres=0, daily_allowance=0, year=None
) -> dict:
    """Validate expenses typed by a person: other expenses (`amount`), public transport,
    mileage in kilometres (reimbursed at the rate of `year`), daily allowance. Returns the
    fields to store; raises ValidationError keyed by field."""
    errors = {}
    other = _euros(amount, "amount", errors)
    transport = _euros(public_transport, "public_transport", errors)
    allowance = _euros(daily_allowance, "daily_allowance", errors)
    try:
        km = Decimal(str(kilometres or "0").strip())
    except (InvalidOperation, ValueError):
        km = None
    rate = None
    mileage = ZERO
    if km is None or not km.is_finite() or km < 0 or km > MAX_KILOMETRES:
        errors["kilometres"] = [
            _("Write the kilometres driven as a number from 0 to %(max)s.")
            % {"max": MAX_KILOMETRES}
        ]
        km = ZERO
    elif km > 0:
        rate = mileage_rate(year) if year else None
        if rate is None:
            errors["kilometres"] = [
                _(
                    "There is no mileage rate for %(year)s yet, so mileage cannot be entered. "
                    "Ask the administrator to add the year's rate."
                )
                % {"year": year}
            ]
        else:
            mileage = (km * rate).quantize(CENT, ROUND_HALF_UP)
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        errors["note"] = [_("Keep the note under %(max)s characters.") % {"max": MAX_NOTE_LENGTH}]
    if transport > 0 and not note:
        errors["note"] = [
            _(
                "For public transport, say which tickets the receipts are for, e.g. bus Vaasa–Seinäjoki."
            )
        ]
    total = other + transport + allowance + mileage
    if not errors and total > MAX_EXPENSES:
        errors["amount"] = [
            _(
                "Expenses over %(max)s € cannot be entered here. Please check the amount or "
                "contact your coordinator."
            )
            % {"max": number(MAX_EXPENSES, 2)}
        ]
    if errors:
        raise ValidationError(errors)
    return {
        "other_expenses_amount": other,
        "public_transport_amount": transport,
        "daily_allowance_amount": allowance,
        "mileage_km": km.quantize(Decimal("0.1"), ROUND_HALF_UP),
        "mileage_rate": rate,
        "mileage_amount": mileage,
        "expenses_amount": total,
        "expenses_note": note,
    }


def set_expenses(
    user,
    record: FeeRecord,
    amount,
    note: str = "",
    *,
    public_transport=0,
    kilometres=0,
    daily_allowance=0,
) -> FeeRecord:
    """The expert or a coordinator of their organisation records the expenses by kind, after
    the assignment and before the fee record is approved. `amount` is other expenses."""
    if not rules.has_perm("fees.edit_expenses", user, record):
        raise PermissionDenied
    values = clean_expenses(
        amount,
        note,
        public_transport=public_transport,
        kilometres=kilometres,
        daily_allowance=daily_allowance,
        year=record.assignment_date.year,
    )
    updated = FeeRecord.objects.filter(pk=record.pk, status=FeeStatus.PENDING).update(**values)
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
