"""Agreements: written when an expert accepts an offer; accepted by both parties.

The path of one agreement:

* ``create_for_offer`` snapshots the order's terms when the expert accepts the offer.
* ``accept_as_orderer`` / ``accept_as_expert``: each party accepts once, personally. When the
  second acceptance lands the agreement becomes ACCEPTED and its fee record is made
  (``fees.services.create_for_agreement``). Each step leaves a dated note on the order.
* When the agreement becomes binding its PDF is kept (``keep_copies``): in Finnish, the
  language of record, and in each party's own language, with the file's SHA-256, so either
  party can prove which version they accepted. A change after acceptance would make a new
  ``version`` that both accept again; the kept copies of earlier versions stay.
* ``amend``: a coordinator of the expert's organisation changes the terms (the time moved, the
  place changed, a fee corrected), saying what changed and why. While nobody has accepted yet
  the terms simply change; once either party has accepted, the change makes a new ``version``
  and both parties accept again. The version both had accepted stays binding, and its kept
  copies downloadable, until the new one is accepted.
* ``cancel``: either party (or a coordinator of the expert's organisation) cancels under the
  agreement's terms. The orderer and coordinators write a reason; the expert may withdraw
  without giving one (their reasons are often their health, which is theirs to keep), and the
  timeline then says only that the expert withdrew. What happens to the order depends on who
  cancels:

  - the **expert**, or a **coordinator** (typically because the expert cannot come): the
    expert's place is released and, if the order was AGREED, it goes back to matching so a
    coordinator can find someone else;
  - the **orderer**: the orderer is calling the assignment off, so the whole order is
    cancelled (workflow step "cancel"), every other agreement of the order is cancelled with
    the same reason and open offers are withdrawn. An orderer who only wants to change an
    expert asks the coordinator, who cancels this one agreement.

State changes use conditional UPDATEs (like the offers' seats), so two simultaneous clicks can
never both accept, both cancel, or make two fee records.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from kokemustori.audit.log import record
from kokemustori.audit.models import Action
from kokemustori.core.roles import coordinated_organisation_ids
from kokemustori.offers.models import FeeType, OfferState
from kokemustori.offers.services import release_seat, withdraw
from kokemustori.orders import workflow
from kokemustori.orders.fees import quote
from kokemustori.orders.models import OrderState

from . import signals
from .ics import calendar_for
from .models import DEFAULT_CANCELLATION_TERMS, Agreement, AgreementState, KeptCopy
from .pdf import document, render_pdf

# The default terms (models.DEFAULT_CANCELLATION_TERMS): an orderer who cancels less than this
# many days before the assignment pays the fee in full.
LATE_CANCELLATION_DAYS = 7
MAX_REASON_LENGTH = 2000

# Notes this module leaves on the order's timeline (orders.workflow.note), with their labels.
ORDERER_ACCEPTED = "agreement_orderer_accepted"
EXPERT_ACCEPTED = "agreement_expert_accepted"
BOTH_ACCEPTED = "agreement_accepted"
CANCELLED = "agreement_cancelled"
WITHDRAWN = "agreement_withdrawn"  # cancelled by the expert themself
AMENDED = "agreement_amended"
TIMELINE_LABELS = {
    ORDERER_ACCEPTED: gettext_lazy("The orderer accepted the agreement"),
    EXPERT_ACCEPTED: gettext_lazy("The expert accepted the agreement"),
    BOTH_ACCEPTED: gettext_lazy("Agreement accepted by both"),
    CANCELLED: gettext_lazy("Agreement cancelled"),
    WITHDRAWN: gettext_lazy("The expert withdrew"),
    AMENDED: gettext_lazy("The terms of the agreement were changed"),
}

# Who is cancelling, as far as the consequences go.
EXPERT_SIDE, ORDERER_SIDE, COORDINATOR_SIDE = "expert", "orderer", "coordinator"

# Once the assignment has taken place there is nothing left to cancel.
FINISHED_ORDER_STATES = (OrderState.DONE, OrderState.DEBRIEFED, OrderState.CLOSED)


# Making the agreement -----------------------------------------------------------------------


def _place(order) -> str:
    if order.is_remote:
        return order.location or _("Remote")
    return order.location


def _fee(offer) -> tuple:
    """(amount, basis, rate, hours): the figure the offer was sent with, which the expert saw
    before saying yes. Nothing when the expert declined the fee. An offer without a figure
    (sent before figures were kept on offers) gets its organisation's figure now; when even
    that is unknown the agreement is refused rather than written with a zero."""
    if offer.fee_type == FeeType.DECLINED:
        return Decimal("0"), "", None, None
    if offer.fee_amount is not None:
        return offer.fee_amount, offer.fee_basis, offer.fee_rate, offer.fee_hours
    fee = quote(offer.order, offer.expert.organisation)
    if fee is None:
        raise ValidationError(
            _(
                "The fee of this assignment is not known yet, so no agreement can be written. "
                "Please contact your coordinator."
            )
        )
    return fee.amount, fee.basis, fee.rate, fee.hours


def create_for_offer(offer) -> Agreement:
    """Snapshot the order's terms for this expert. Texts are stored in Finnish, the language
    of record; each reader sees the labels in their own language."""
    order = offer.order
    expert = offer.expert
    orderer = order.orderer
    fee_amount, fee_basis, fee_rate, fee_hours = _fee(offer)
    coordinators = [
        f"{c.user.get_full_name()} <{c.user.email}>"
        for c in expert.organisation.coordinators.filter(is_active=True).select_related("user")
    ]
    with override("fi"):
        tasks = "\n\n".join(
            part
            for part in (
                f"{order.task_type.name}: {order.title}" if order.task_type_id else order.title,
                order.expectations,
                order.topic_delimitation,
                order.working_group,
            )
            if part
        )
        agreement = Agreement.objects.create(
            offer=offer,
            order=order,
            expert=expert,
            tasks=tasks,
            starts_at=order.starts_at,
            ends_at=order.ends_at,
            place=_place(order),
            planning_meeting_at=order.planning_meeting_at if order.planning_meeting else None,
            debrief_at=order.debrief_at,
            debrief_by=order.debrief_by,
            fee_amount=fee_amount,
            fee_basis=fee_basis,
            fee_rate=fee_rate,
            fee_hours=fee_hours,
            fee_type=offer.fee_type,
            expenses=order.travel_costs,
            confidentiality=order.confidentiality_scope if order.confidentiality else "",
            cancellation_terms=str(DEFAULT_CANCELLATION_TERMS),
            orderer_contact="\n".join(
                x
                for x in (
                    order.contact_name or orderer.user.get_full_name(),
                    orderer.organisation_name,
                    order.contact_phone or orderer.phone,
                    order.contact_email or orderer.user.email,
                )
                if x
            ),
            coordinator_contact="\n".join(coordinators),
            expert_legal_name=expert.legal_name,
            expert_public_name=expert.display_name,
            expert_contact="\n".join(x for x in (expert.user.email, expert.phone) if x),
        )
    _audit(offer.sent_by, Action.AGREEMENT_CREATED, agreement)
    return agreement


def _audit(user, action, agreement) -> None:
    """Every change of an agreement goes to the expert's organisation's audit log. The detail
    names the agreement by number only: the log must not repeat personal data."""
    record(
        user,
        action,
        expert=agreement.expert,
        organisation=agreement.expert.organisation,
        detail=f"agreement {agreement.pk}, order {agreement.order_id}",
    )


def record_download(user, agreement) -> None:
    """The PDF carries the legal name and contacts: each download is an export."""
    _audit(user, Action.AGREEMENT_DOWNLOADED, agreement)


# Who is who -----------------------------------------------------------------------------------


def is_expert_of(user, agreement) -> bool:
    return bool(user and user.is_authenticated and agreement.expert.user_id == user.pk)


def is_orderer_of(user, agreement) -> bool:
    return bool(user and user.is_authenticated and agreement.order.orderer.user_id == user.pk)


def coordinates(user, agreement) -> bool:
    if not (user and user.is_authenticated):
        return False
    return agreement.expert.organisation_id in coordinated_organisation_ids(user)


def pending_party(user, agreement) -> str | None:
    """EXPERT_SIDE or ORDERER_SIDE when this user still has to accept the agreement, else None."""
    if agreement.state != AgreementState.PENDING:
        return None
    if is_expert_of(user, agreement) and agreement.expert_accepted_at is None:
        return EXPERT_SIDE
    if is_orderer_of(user, agreement) and agreement.orderer_accepted_at is None:
        return ORDERER_SIDE
    return None


# Accepting ------------------------------------------------------------------------------------


def _timeline_name(agreement) -> str:
    """How a timeline note names the agreement. Stored as is, so language-neutral; and seen by
    the orderer, so the expert appears by their public name only."""
    return f"{agreement.expert_public_name} (#{agreement.pk})"


def _timeline_actor(user, agreement):
    """The orderer's order page shows each step's actor by their full name. An expert who
    works under a pseudonym must never appear there by their legal name, so steps the expert
    takes are recorded without an actor; the note's text names them by their public name, and
    the agreement itself records who accepted or cancelled."""
    return None if is_expert_of(user, agreement) else user


def _refuse_unless_pending(agreement):
    if agreement.state == AgreementState.CANCELLED or agreement.order.state == OrderState.CANCELLED:
        raise ValidationError(_("This agreement has been cancelled."))
    if agreement.state != AgreementState.PENDING:
        raise ValidationError(_("This agreement has already been accepted by both."))


def _complete_if_both_accepted(agreement, user):
    """The second acceptance makes the agreement binding and its fee record. The conditional
    UPDATE lets exactly one of two simultaneous acceptances do this."""
    completed = Agreement.objects.filter(
        pk=agreement.pk,
        state=AgreementState.PENDING,
        orderer_accepted_at__isnull=False,
        expert_accepted_at__isnull=False,
    ).update(state=AgreementState.ACCEPTED)
    agreement.refresh_from_db()
    if not completed:
        return
    keep_copies(agreement)
    workflow.note(
        agreement.order,
        BOTH_ACCEPTED,
        actor=_timeline_actor(user, agreement),
        reason=_timeline_name(agreement),
    )
    signals.agreement_bound.send(sender=Agreement, agreement=agreement)  # the fee record


RECORD_LANGUAGE = "fi"


def _language_of(user) -> str:
    return (getattr(user, "language", None) or RECORD_LANGUAGE) if user else RECORD_LANGUAGE


def keep_copies(agreement) -> list[KeptCopy]:
    """The binding agreement's PDF as the parties accepted it, in the language of record and
    in each party's language; the files and their SHA-256 stay for good."""
    languages = dict.fromkeys(
        [
            RECORD_LANGUAGE,
            _language_of(agreement.order.orderer.user),
            _language_of(agreement.expert.user),
        ]
    )
    kept = []
    for language in languages:
        pdf = document(agreement, language)
        copy, _created = KeptCopy.objects.get_or_create(
            agreement=agreement,
            version=agreement.version,
            language=language,
            defaults={"content": pdf.content, "sha256": pdf.sha256},
        )
        kept.append(copy)
    return kept


def kept_copy(agreement, language: str, version: int | None = None) -> KeptCopy | None:
    """The kept file of this version (the current one by default) in `language`, or None."""
    return KeptCopy.objects.filter(
        agreement=agreement,
        version=agreement.version if version is None else version,
        language=language,
    ).first()


def current_pdf(agreement, language: str) -> bytes:
    """The agreement's PDF in `language`: the kept copy while the accepted version stands
    unchanged, otherwise the agreement as it stands now (waiting, or cancelled)."""
    if agreement.state == AgreementState.ACCEPTED:
        copy = kept_copy(agreement, language)
        if copy is not None:
            return bytes(copy.content)
    return render_pdf(agreement, language)


def _refuse_other_version(agreement, version) -> None:
    """The party accepts the version they read: if a coordinator changed the terms meanwhile,
    the click is refused rather than taken as accepting terms never seen."""
    if version is not None and version != agreement.version:
        raise ValidationError(
            _("The terms were changed while you were reading them. Please read them again.")
        )


def accept_as_orderer(user, agreement, version: int | None = None) -> Agreement:
    """The orderer accepts the agreement in the product. Records who and when."""
    if not is_orderer_of(user, agreement):
        raise PermissionDenied(_("Only the orderer of this order can accept on its behalf."))
    with transaction.atomic():
        agreement.refresh_from_db()
        agreement.order.refresh_from_db()
        _refuse_unless_pending(agreement)
        _refuse_other_version(agreement, version)
        now = timezone.now()
        updated = Agreement.objects.filter(
            pk=agreement.pk,
            state=AgreementState.PENDING,
            version=agreement.version,
            orderer_accepted_at__isnull=True,
        ).update(orderer_accepted_at=now, orderer_accepted_by=user)
        if not updated:
            raise ValidationError(_("You have already accepted this agreement."))
        agreement.refresh_from_db()
        _audit(user, Action.AGREEMENT_ACCEPTED, agreement)
        workflow.note(
            agreement.order,
            ORDERER_ACCEPTED,
            actor=user,
            reason=_timeline_name(agreement),
        )
        _complete_if_both_accepted(agreement, user)
    return agreement


def accept_as_expert(user, agreement, version: int | None = None) -> Agreement:
    """The expert accepts the agreement in the product. Records when (the expert is fixed)."""
    if not is_expert_of(user, agreement):
        raise PermissionDenied(_("Only the expert of this agreement can accept it."))
    with transaction.atomic():
        agreement.refresh_from_db()
        agreement.order.refresh_from_db()
        _refuse_unless_pending(agreement)
        _refuse_other_version(agreement, version)
        now = timezone.now()
        updated = Agreement.objects.filter(
            pk=agreement.pk,
            state=AgreementState.PENDING,
            version=agreement.version,
            expert_accepted_at__isnull=True,
        ).update(expert_accepted_at=now)
        if not updated:
            raise ValidationError(_("You have already accepted this agreement."))
        agreement.refresh_from_db()
        _audit(user, Action.AGREEMENT_ACCEPTED, agreement)
        workflow.note(
            agreement.order,
            EXPERT_ACCEPTED,
            actor=None,  # see _timeline_actor
            reason=_timeline_name(agreement),
        )
        _complete_if_both_accepted(agreement, user)
    return agreement


def accept(user, agreement, version: int | None = None) -> Agreement:
    """Accept as whichever party this user is on the agreement; `version`, when given, is the
    version the user read (refused if the terms changed since)."""
    if is_expert_of(user, agreement):
        return accept_as_expert(user, agreement, version)
    if is_orderer_of(user, agreement):
        return accept_as_orderer(user, agreement, version)
    raise PermissionDenied(_("Only the orderer and the expert accept an agreement."))


# Changing the terms -------------------------------------------------------------------------

# What a coordinator may change. The parties, the fee type and the cancellation terms are not:
# changing those is a different agreement (cancel this one, send a new offer).
AMENDABLE_FIELDS = (
    "tasks",
    "starts_at",
    "ends_at",
    "place",
    "planning_meeting_at",
    "debrief_at",
    "debrief_by",
    "fee_amount",
    "expenses",
    "confidentiality",
)


def can_amend(user, agreement) -> bool:
    """The expert's coordinators, while the agreement stands and the assignment is ahead."""
    return (
        coordinates(user, agreement)
        and agreement.state != AgreementState.CANCELLED
        and agreement.order.state not in (*FINISHED_ORDER_STATES, OrderState.CANCELLED)
    )


def _check_terms(agreement, changed: set) -> None:
    """The new terms must hold together; errors name the field they concern."""
    errors = {}
    if agreement.ends_at is not None and agreement.ends_at <= agreement.starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    planning = agreement.planning_meeting_at
    if planning is not None and planning >= agreement.starts_at:
        errors["planning_meeting_at"] = [_("The planning meeting must be before the assignment.")]
    if agreement.debrief_at is not None and agreement.debrief_at < agreement.starts_at:
        errors["debrief_at"] = [_("The debrief cannot be before the assignment.")]
    if "fee_amount" in changed:
        if agreement.fee_type == FeeType.DECLINED:
            errors["fee_amount"] = [
                _("The expert declined the fee: this agreement has no fee to change.")
            ]
        elif agreement.fee_amount is None or agreement.fee_amount < 0:
            errors["fee_amount"] = [_("The fee cannot be negative.")]
    if not (agreement.tasks or "").strip():
        errors["tasks"] = [_("Describe the tasks.")]
    if errors:
        raise ValidationError(errors)


def amend(user, agreement, changes: dict, reason: str) -> Agreement:
    """Change the terms; see the module docstring. `changes` maps names of AMENDABLE_FIELDS to
    their new values; the others are ignored. Refused when nothing changes."""
    if not coordinates(user, agreement):
        raise PermissionDenied(
            _("Only the coordinators of the expert's organisation change terms.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Write what changed and why: both parties read it.")]})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    _("Keep the reason under %(max)s characters.") % {"max": MAX_REASON_LENGTH}
                ]
            }
        )
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if not can_amend(user, agreement):
            raise ValidationError(
                _(
                    "The terms can no longer be changed: the agreement was cancelled or the "
                    "assignment has taken place."
                )
            )
        changed = {
            field
            for field in AMENDABLE_FIELDS
            if field in changes and changes[field] != getattr(agreement, field)
        }
        if not changed:
            raise ValidationError(_("Nothing was changed."))
        for field in changed:
            setattr(agreement, field, changes[field])
        _check_terms(agreement, changed)
        if "fee_amount" in changed:
            # A figure set by hand is no longer the schedule's rate times hours.
            agreement.fee_basis, agreement.fee_rate, agreement.fee_hours = "", None, None
        new_version = bool(agreement.orderer_accepted_at or agreement.expert_accepted_at)
        if new_version:
            agreement.version += 1
            agreement.state = AgreementState.PENDING
            agreement.orderer_accepted_at = agreement.expert_accepted_at = None
            agreement.orderer_accepted_by = None
        agreement.amended_at = timezone.now()
        agreement.amended_by = user
        agreement.amendment_reason = reason
        agreement.save()
        _audit(user, Action.AGREEMENT_AMENDED, agreement)
        workflow.note(
            agreement.order, AMENDED, actor=user, reason=f"{_timeline_name(agreement)}: {reason}"
        )
        signals.agreement_amended.send(
            sender=Agreement, agreement=agreement, actor=user, new_version=new_version
        )
    return agreement


def binding_version(agreement) -> int | None:
    """The version both parties accepted and that binds now, or None. While a changed version
    waits for acceptance, the one accepted before it still binds."""
    if agreement.state == AgreementState.ACCEPTED:
        return agreement.version
    if agreement.state == AgreementState.CANCELLED:
        return None
    return agreement.kept_copies.order_by("-version").values_list("version", flat=True).first()


# Cancelling -----------------------------------------------------------------------------------


def cancelling_side(user, agreement) -> str | None:
    """Which side this user cancels for, or None if they may not cancel."""
    if is_expert_of(user, agreement):
        return EXPERT_SIDE
    if is_orderer_of(user, agreement):
        return ORDERER_SIDE
    if coordinates(user, agreement):
        return COORDINATOR_SIDE
    return None


def is_late_cancellation(agreement, at=None) -> bool:
    """Under the default terms an orderer who cancels less than LATE_CANCELLATION_DAYS before
    the assignment pays the fee in full."""
    at = at or agreement.cancelled_at or timezone.now()
    return agreement.starts_at - at < timedelta(days=LATE_CANCELLATION_DAYS)


def _was_binding(agreement) -> bool:
    """Both parties had accepted some version: this one, or an earlier one whose file was kept
    when it became binding (a change of terms clears the acceptances of the new version)."""
    both = agreement.orderer_accepted_at is not None and agreement.expert_accepted_at is not None
    return both or agreement.kept_copies.exists()


def fee_due_after_cancellation(agreement) -> bool:
    """Whether the fee is still owed for a cancelled agreement under the default terms: the
    orderer's side cancelled late, after both had accepted. (Costs already incurred are always
    reimbursed; that is a matter of the expenses, not the fee.)"""
    if agreement.state != AgreementState.CANCELLED or agreement.cancelled_by_id is None:
        return False
    if not _was_binding(agreement):
        return False
    if agreement.cancelled_by_id != agreement.order.orderer.user_id:
        return False
    return is_late_cancellation(agreement)


def reason_required(side: str | None) -> bool:
    """The expert need not say why they withdraw; everyone else cancelling says why."""
    return side != EXPERT_SIDE


def _clean_reason(reason, *, required: bool = True) -> str:
    reason = (reason or "").strip()
    if not reason and required:
        raise ValidationError({"reason": [_("Write why the agreement is cancelled.")]})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    _("Keep the reason under %(max)s characters.") % {"max": MAX_REASON_LENGTH}
                ]
            }
        )
    return reason


def _mark_cancelled(agreement, user, reason) -> bool:
    """Cancel one agreement and free its place. False if it was already cancelled."""
    now = timezone.now()
    updated = (
        Agreement.objects.filter(pk=agreement.pk)
        .exclude(state=AgreementState.CANCELLED)
        .update(
            state=AgreementState.CANCELLED,
            cancelled_at=now,
            cancelled_by=user if user is not None and user.is_authenticated else None,
            cancellation_reason=reason,
        )
    )
    if updated:
        release_seat(agreement.order_id)
        agreement.refresh_from_db()
        _audit(user, Action.AGREEMENT_CANCELLED, agreement)
        # No fee for work cancelled in time; expenses already incurred stay payable (fees).
        signals.agreement_cancelled.send(
            sender=Agreement, agreement=agreement, fee_due=fee_due_after_cancellation(agreement)
        )
        name = _timeline_name(agreement)
        workflow.note(
            agreement.order,
            WITHDRAWN if is_expert_of(user, agreement) else CANCELLED,
            actor=_timeline_actor(user, agreement),
            reason=f"{name}: {reason}" if reason else name,
        )
    return bool(updated)


def cancel_all_for_order(order, *, actor, reason: str) -> int:
    """Cancel every agreement of an order that is being cancelled, and withdraw its open
    offers. Does not change the order's state. Returns how many agreements were cancelled."""
    count = 0
    with transaction.atomic():
        for agreement in order.agreements.exclude(state=AgreementState.CANCELLED):
            count += _mark_cancelled(agreement, actor, reason)
        for offer in order.offers.filter(state=OfferState.OPEN):
            withdraw(actor, offer)
    return count


def cancel(user, agreement, reason: str) -> Agreement:
    """Cancel the agreement under its terms. See the module docstring for the consequences."""
    side = cancelling_side(user, agreement)
    if side is None:
        raise PermissionDenied(_("You may not cancel this agreement."))
    reason = _clean_reason(reason, required=reason_required(side))
    with transaction.atomic():
        agreement.refresh_from_db()
        order = agreement.order
        order.refresh_from_db()
        if agreement.state == AgreementState.CANCELLED:
            raise ValidationError(_("This agreement has already been cancelled."))
        if order.state in FINISHED_ORDER_STATES:
            raise ValidationError(
                _(
                    "The assignment has already taken place; the agreement can no longer be "
                    "cancelled."
                )
            )
        if not _mark_cancelled(agreement, user, reason):
            raise ValidationError(_("This agreement has already been cancelled."))
        order.refresh_from_db()
        if side == ORDERER_SIDE:
            # The order first: withdrawing the open offers of a cancelled order does not send
            # it back to matching on the way.
            if order.state != OrderState.CANCELLED:
                workflow.transition(order, "cancel", actor=user, reason=reason)
            cancel_all_for_order(order, actor=user, reason=reason)
        else:
            if order.state == OrderState.AGREED:
                workflow.transition(
                    order, "rematch", actor=_timeline_actor(user, agreement), system=True
                )
            # When the orderer cancels, the order's own cancellation e-mail tells everyone.
            signals.agreement_fell_through.send(sender=Agreement, agreement=agreement, actor=user)
    agreement.refresh_from_db()
    return agreement


# Documents for e-mail -------------------------------------------------------------------------


def documents_for(agreement, user) -> list[tuple[str, bytes, str]]:
    """The agreement as a PDF and its calendar entries, in the recipient's own language, as
    (filename, content, mimetype) for EmailMessage.attach()."""
    language = getattr(user, "language", None) or "fi"
    with override(language):
        stem = f"{slugify(_('agreement')) or 'agreement'}-{agreement.pk}"
    return [
        (f"{stem}.pdf", current_pdf(agreement, language), "application/pdf"),
        (f"{stem}.ics", calendar_for(agreement, language), "text/calendar"),
    ]
