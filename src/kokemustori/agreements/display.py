"""The agreement's terms as readable sections, in the active language.

One source for the web page and the PDF, so both say the same. Call inside
``translation.override(language)`` (the PDF does) or in a request (the page does). Times are
always shown in Finnish time, whatever the reader's language.
"""

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import override

from kokemustori.core.money import euros
from kokemustori.offers.models import FeeType
from kokemustori.orders.fees import fee_explanation

from .models import DEFAULT_CANCELLATION_TERMS, Agreement, AgreementState

HELSINKI = ZoneInfo("Europe/Helsinki")


@dataclass
class Section:
    key: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, text); label may be ""

    @property
    def labelled(self) -> list[tuple[str, str]]:
        return [(label, text) for label, text in self.rows if label]

    @property
    def notes(self) -> list[str]:
        return [text for label, text in self.rows if not label and text]


def local(moment):
    return timezone.localtime(moment, HELSINKI)


def when(moment) -> str:
    """e.g. fi "Maanantai 15.3.2027 klo 10.00", en "Monday March 15, 2027 at 10 a.m."."""
    moment = local(moment)
    return _("%(weekday)s %(date)s at %(time)s") % {
        "weekday": capfirst(formats.date_format(moment, "l")),
        "date": formats.date_format(moment, "DATE_FORMAT"),
        "time": formats.time_format(moment, "TIME_FORMAT"),
    }


def span(start, end=None) -> str:
    if end is None:
        return when(start)
    start, end = local(start), local(end)
    if start.date() == end.date():
        return _("%(weekday)s %(date)s, %(start)s–%(end)s") % {
            "weekday": capfirst(formats.date_format(start, "l")),
            "date": formats.date_format(start, "DATE_FORMAT"),
            "start": formats.time_format(start, "TIME_FORMAT"),
            "end": formats.time_format(end, "TIME_FORMAT"),
        }
    return f"{when(start)} – {when(end)}"


def money(amount) -> str:
    return euros(amount)


def agreement_fee_explanation(agreement: Agreement) -> str:
    if agreement.fee_type == FeeType.DECLINED:
        return ""
    return fee_explanation(agreement.fee_basis, agreement.fee_rate, agreement.fee_hours)


def fee_type_explanation(fee_type: str) -> str:
    return {
        FeeType.WAGE: _(
            "Paid as wage: withholding tax is deducted, and the expert gives their tax card "
            "to the payer."
        ),
        FeeType.WORK_COMPENSATION: _(
            "Paid as work compensation under this assignment agreement; no employment "
            "relationship is formed."
        ),
        FeeType.DECLINED: _(
            "The expert has declined the fee and does this as volunteer work. Only expenses "
            "are reimbursed."
        ),
    }.get(fee_type, "")


def cancellation_terms(agreement: Agreement) -> str:
    """The terms in the reader's language when they are the default terms (which are stored in
    Finnish, the language of record); otherwise the text as agreed."""
    with override("fi"):
        default_fi = str(DEFAULT_CANCELLATION_TERMS)
    if agreement.cancellation_terms.strip() == default_fi:
        return str(DEFAULT_CANCELLATION_TERMS)
    return agreement.cancellation_terms


def _person(user) -> str:
    if user is None:
        return _("(a deleted user)")
    return user.get_full_name() or user.email


def acceptance_rows(agreement: Agreement) -> list[tuple[str, str]]:
    orderer = (
        _("Accepted by %(name)s, %(when)s")
        % {
            "name": _person(agreement.orderer_accepted_by),
            "when": when(agreement.orderer_accepted_at),
        }
        if agreement.orderer_accepted_at
        else _("Not yet accepted")
    )
    expert = (
        _("Accepted by %(name)s, %(when)s")
        % {"name": agreement.expert_legal_name, "when": when(agreement.expert_accepted_at)}
        if agreement.expert_accepted_at
        else _("Not yet accepted")
    )
    rows = [(_("The orderer"), orderer), (_("The expert"), expert)]
    if agreement.state == AgreementState.CANCELLED and agreement.cancelled_at:
        facts = {
            "name": _person(agreement.cancelled_by),
            "when": when(agreement.cancelled_at),
            "reason": agreement.cancellation_reason,
        }
        # The expert may withdraw without a reason (agreements.services.cancel).
        text = (
            _("Cancelled by %(name)s, %(when)s. Reason: %(reason)s") % facts
            if agreement.cancellation_reason
            else _("Cancelled by %(name)s, %(when)s. No reason was given.") % facts
        )
        rows.append((_("Cancelled"), text))
    return rows


def sections(agreement: Agreement) -> list[Section]:
    """Every term of the agreement, in order. The legal name appears here (and only here)."""
    order = agreement.order
    none = "–"
    parties = Section(
        "parties",
        _("Parties"),
        [
            (_("Orderer"), order.orderer.organisation_name),
            (_("Orderer's contact person"), agreement.orderer_contact),
            (_("Experience expert (legal name)"), agreement.expert_legal_name),
            (_("Name shown to the audience"), agreement.expert_public_name),
            (_("Background organisation"), agreement.expert.organisation.name),
        ],
    )
    schedule_rows = [
        (_("Assignment"), span(agreement.starts_at, agreement.ends_at)),
        (_("Place"), agreement.place or none),
        (
            _("Planning meeting"),
            when(agreement.planning_meeting_at)
            if agreement.planning_meeting_at
            else _("No planning meeting has been agreed."),
        ),
        (_("Debrief"), when(agreement.debrief_at) if agreement.debrief_at else _("To be agreed")),
    ]
    if agreement.debrief_by:
        schedule_rows.append((_("Debrief held by"), agreement.debrief_by))
    schedule_rows.append(("", _("Times are Finnish time (Europe/Helsinki).")))
    fee_amount = 0 if agreement.fee_type == FeeType.DECLINED else agreement.fee_amount
    return [
        parties,
        Section("tasks", _("Tasks"), [("", agreement.tasks)]),
        Section("schedule", _("Schedule"), schedule_rows),
        Section(
            "fee",
            _("Fee"),
            [
                (_("Fee"), money(fee_amount)),
                *(
                    [(_("How the fee is reckoned"), explanation)]
                    if (explanation := agreement_fee_explanation(agreement))
                    else []
                ),
                (
                    _("Fee type"),
                    capfirst(FeeType(agreement.fee_type).label) if agreement.fee_type else none,
                ),
                ("", fee_type_explanation(agreement.fee_type)),
            ],
        ),
        Section(
            "expenses",
            _("Expenses"),
            [
                ("", agreement.expenses or _("Expenses are reimbursed against receipts.")),
                (
                    "",
                    _(
                        "The expert never carries costs: travel and other expenses are "
                        "reimbursed separately from the fee."
                    ),
                ),
            ],
        ),
        Section(
            "confidentiality",
            _("Confidentiality"),
            [
                (
                    "",
                    agreement.confidentiality
                    or _("No special confidentiality duty has been agreed."),
                ),
                (
                    "",
                    _(
                        "The expert alone decides what they tell of their own experience. The "
                        "orderer does not record or pass on what the expert tells without the "
                        "expert's permission."
                    ),
                ),
            ],
        ),
        Section("cancellation", _("Cancellation terms"), [("", cancellation_terms(agreement))]),
        Section(
            "contacts",
            _("Contacts"),
            [
                (_("Orderer"), agreement.orderer_contact or none),
                (_("Coordinators"), agreement.coordinator_contact or none),
                (_("Experience expert"), agreement.expert_contact or none),
            ],
        ),
        Section("acceptance", _("Acceptance"), acceptance_rows(agreement)),
    ]
