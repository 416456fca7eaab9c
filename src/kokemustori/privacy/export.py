"""A person's own data, for the right of access (GDPR art. 15) and data portability (art. 20).

`collect()` gathers everything Kokemustori holds about one person into sections: the account,
the expert profile, trainings and programmes of modules, kind applications and decisions, the
confidentiality commitments signed, offers, agreements, fee records, attendance at the meetings
of a series and its fee records, debriefs and feedback, messages, audit events about them, and
for an orderer their orders.
The same sections make the readable summary page (labels in the reader's language) and the
JSON file (stable English keys, ISO dates), so the two always hold the same data.

Only this person's data: other people appear by role ("a coordinator of …"), never by name,
and another expert's debrief, feedback or profile is never included. Agreements are included
as the expert's own terms; the other parties' contact lines stay in the agreement itself (its
PDF).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kokemustori.agreements.models import Agreement
from kokemustori.audit.models import AuditEvent
from kokemustori.commitments.models import Signature, TrainingProgramme
from kokemustori.conversations.models import Message
from kokemustori.experts.models import PROFILE_CHOICE_FIELDS, Expert
from kokemustori.fees.models import FeeRecord
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.identity.models import IdentityConfirmation
from kokemustori.notifications.models import NOTICE_KINDS, Notice, NoticePreference, ReminderSent
from kokemustori.orderers.models import Orderer
from kokemustori.orders.models import OrderEvent
from kokemustori.orders.timeline import event_label
from kokemustori.requirements.models import Qualification
from kokemustori.series.models import Attendance, SeriesFee

FORMAT_NAME = "kokemustori-personal-data"
FORMAT_VERSION = 1
EMPTY = "–"


@dataclass
class Entry:
    name: str  # the JSON key
    label: str  # the summary page's label, in the active language
    value: object  # JSON-ready
    text: str  # for the summary page


@dataclass
class Item:
    heading: str
    entries: list[Entry] = field(default_factory=list)

    def data(self) -> dict:
        return {entry.name: entry.value for entry in self.entries}


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    single: bool = False  # one record (the account, the profile) rather than a list
    note: str = ""

    def data(self):
        if self.single:
            return self.items[0].data() if self.items else None
        return [item.data() for item in self.items]


# Values --------------------------------------------------------------------------------------


def json_value(value):
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def display(value) -> str:
    if value is None or value == "" or value == [] or value == ():
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return number_format(value, use_l10n=True)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def entry(name, label, value, text=None) -> Entry:
    return Entry(
        name, capfirst(str(label)), json_value(value), display(value) if text is None else text
    )


def field_entry(obj, name, label=None) -> Entry:
    """One model field: its verbose name, its value (choices by their label on the page)."""
    model_field = obj._meta.get_field(name)
    label = label or model_field.verbose_name
    if model_field.many_to_many:
        names = [str(o) for o in getattr(obj, name).all()]
        return entry(name, label, names)
    value = getattr(obj, name)
    if model_field.is_relation:
        value = str(value) if value is not None else None
        return entry(name, label, value)
    if model_field.choices and value not in ("", None):
        return entry(name, label, value, capfirst(str(getattr(obj, f"get_{name}_display")())))
    return entry(name, label, value)


def fields(obj, names) -> list[Entry]:
    """Entries for these fields; a (name, label) pair gives a label where the model has none."""
    out = []
    for spec in names:
        name, label = spec if isinstance(spec, tuple) else (spec, None)
        out.append(field_entry(obj, name, label))
    return out


def _when(moment) -> str:
    return display(moment) if moment else ""


def _order_heading(order, moment=None) -> str:
    moment = moment or order.starts_at
    return f"{order.title} ({_when(moment)})" if moment else order.title


# Sections ------------------------------------------------------------------------------------


def account_section(user) -> Section:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    addresses = [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user).order_by("pk")
    ]
    address_text = ", ".join(
        a["email"] + (f" ({_('verified')})" if a["verified"] else f" ({_('not verified')})")
        for a in addresses
    )
    factors = sorted({str(a.get_type_display()) for a in Authenticator.objects.filter(user=user)})
    linked = [
        {"provider": a.provider, "subject": a.uid}
        for a in SocialAccount.objects.filter(user=user).order_by("pk")
    ]
    confirmation = IdentityConfirmation.objects.filter(expert__user=user).first()
    confirmed = (
        {"legal_name": confirmation.legal_name, "confirmed_at": _when(confirmation.confirmed_at)}
        if confirmation
        else None
    )
    item = Item(
        heading=_("Account"),
        entries=[
            *fields(
                user, ["email", "first_name", "last_name", "language", "date_joined", "last_login"]
            ),
            entry(
                "email_addresses",
                _("e-mail addresses for logging in"),
                addresses,
                address_text or EMPTY,
            ),
            entry("two_factor_methods", _("two-factor authentication"), factors),
            entry(
                "linked_identities",
                _("sign-in services linked to the account"),
                linked,
                ", ".join(f"{i['provider']}: {i['subject']}" for i in linked) or EMPTY,
            ),
            entry(
                "identity_confirmation",
                _("identity confirmed with strong identification"),
                confirmed,
                f"{confirmed['legal_name']}, {confirmed['confirmed_at']}" if confirmed else EMPTY,
            ),
        ],
    )
    return Section("account", _("Account"), [item], single=True)


def expert_sections(expert) -> list[Section]:
    profile = Item(
        heading=_("Expert profile"),
        entries=fields(
            expert,
            [
                "organisation",
                "status",
                "first_name_public",
                "uses_pseudonym",
                "pseudonym",
                "phone",
                "municipality",
                "areas_own",
                "areas_close",
                "experience_story",
                "bio",
                "topics",
                "topics_not_now",
                "languages",
                "regions",
                "works_remotely",
                "task_types",
                "workload_limit",
                "work_preference",
                "monthly_earnings_limit",
                "yearly_earnings_limit",
                "on_break",
                "break_started_at",
                "show_areas",
                "show_topics",
                "show_story",
                "consent_given_at",
                ("privacy_notice_version", _("version of the privacy notice you agreed to")),
                "submitted_at",
                ("created_at", _("profile created")),
                ("updated_at", _("profile last changed")),
            ],
        ),
    )
    sections = [Section("expert_profile", _("Expert profile"), [profile], single=True)]

    trainings = [
        Item(
            heading=f"{capfirst(str(t.get_training_type_display()))}, {t.organiser}",
            entries=fields(
                t,
                [
                    "training_type",
                    "organiser",
                    "hours",
                    "start_date",
                    "end_date",
                    "status",
                    "reviewed_at",
                    ("review_note", _("coordinator's note")),
                ],
            ),
        )
        for t in expert.trainings.all()
    ]
    sections.append(Section("trainings", _("Training"), trainings))
    sections.append(programmes_section(expert))

    applications = [
        Item(
            heading=capfirst(str(a.get_kind_display())),
            entries=fields(a, ["kind", "status", "reason", "applied_at", "decided_at"]),
        )
        for a in expert.kind_applications.all()
    ]
    sections.append(
        Section("kind_applications", _("Kinds of expert applied for, and decisions"), applications)
    )
    sections.append(signatures_section(expert))

    offers = [
        Item(
            heading=_order_heading(o.order),
            entries=[
                entry("order", _("order"), o.order.title),
                entry("order_id", _("order number"), o.order_id),
                entry("task_type", _("task type"), str(o.order.task_type or "")),
                entry("starts_at", _("starts"), o.order.starts_at),
                *fields(
                    o,
                    [
                        "state",
                        "message",
                        "match_reasons",
                        "sent_at",
                        "expires_at",
                        "responded_at",
                        "fee_type",
                    ],
                ),
            ],
        )
        for o in expert.offers.select_related("order__task_type").order_by("sent_at", "pk")
    ]
    sections.append(Section("offers", _("Offers"), offers))

    interests = [
        Item(
            heading=_order_heading(i.call.order),
            entries=[
                entry("order", _("order"), i.call.order.title),
                entry("order_id", _("order number"), i.call.order_id),
                *fields(i, ["note", "created_at"]),
            ],
        )
        for i in expert.open_call_interests.select_related("call__order").order_by("pk")
    ]
    sections.append(
        Section("open_call_interests", _("Open calls you said you were interested in"), interests)
    )

    qualifications = [
        Item(
            heading=str(q),
            entries=fields(q, ["kind", "language", "level", "on", "valid_until", "recorded_at"]),
        )
        for q in Qualification.objects.filter(expert=expert).select_related("language")
    ]
    sections.append(
        Section(
            "qualifications",
            _("Recorded by your coordinators for orders that require them"),
            qualifications,
        )
    )

    agreements = [
        Item(
            heading=_order_heading(a.order, a.starts_at),
            entries=[
                entry("agreement_id", _("agreement number"), a.pk),
                entry("order", _("order"), a.order.title),
                *fields(
                    a,
                    [
                        "state",
                        "tasks",
                        "starts_at",
                        "ends_at",
                        "place",
                        "planning_meeting_at",
                        "debrief_at",
                        "debrief_by",
                        "fee_amount",
                        "fee_type",
                        "expenses",
                        "confidentiality",
                        "expert_legal_name",
                        "expert_public_name",
                        "expert_contact",
                        ("created_at", _("drawn up")),
                        "orderer_accepted_at",
                        "expert_accepted_at",
                        ("cancelled_at", _("cancelled")),
                        ("cancellation_reason", _("reason for the cancellation")),
                    ],
                ),
            ],
        )
        for a in Agreement.objects.filter(expert=expert)
        .select_related("order")
        .order_by("starts_at", "pk")
    ]
    sections.append(
        Section(
            "agreements",
            _("Agreements"),
            agreements,
            note=_("Each agreement can also be downloaded as a PDF from its own page."),
        )
    )

    fee_records = [
        Item(
            heading=f"{r.agreement.order.title} ({display(r.assignment_date)})",
            entries=[
                entry("agreement_id", _("agreement number"), r.agreement_id),
                *fields(
                    r,
                    [
                        "assignment_date",
                        "fee_amount",
                        "fee_type",
                        "expenses_amount",
                        "expenses_note",
                        "status",
                        "approved_at",
                        "paid_at",
                    ],
                ),
            ],
        )
        for r in FeeRecord.objects.filter(expert=expert).select_related("agreement__order")
    ]
    sections.append(Section("fee_records", _("Fees"), fee_records))
    sections += series_sections(expert)

    debriefs = [
        Item(
            heading=_order_heading(d.order, d.held_at),
            entries=[
                entry("order", _("order"), d.order.title),
                *fields(
                    d,
                    [
                        "held_at",
                        "held_by",
                        "feelings",
                        "evaluation",
                        "wants_support",
                        "support_handled_at",
                        ("created_at", _("recorded")),
                    ],
                ),
            ],
        )
        for d in Debrief.objects.filter(expert=expert).select_related("order").order_by("held_at")
    ]
    sections.append(Section("debriefs", _("Debriefs"), debriefs))

    feedback = []
    for f in Feedback.objects.filter(expert=expert).select_related("order").order_by("created_at"):
        if f.direction == Feedback.EXPERT_ON_ORDERER:
            heading = _("Your feedback on the orderer: %(order)s") % {"order": f.order.title}
            scores = ["expectations_clear", "time_respected", "treated_as_equal"]
        else:
            heading = _("The orderer's feedback on your assignment: %(order)s") % {
                "order": f.order.title
            }
            scores = ["overall"]
        feedback.append(
            Item(
                heading=heading,
                entries=[
                    entry("order", _("order"), f.order.title),
                    *fields(f, [("direction", _("direction")), *scores, "comment"]),
                    entry("created_at", _("given"), f.created_at),
                ],
            )
        )
    sections.append(Section("feedback", _("Feedback by you and about you"), feedback))
    sections.append(audit_section(expert))
    return sections


def programmes_section(expert) -> Section:
    """Trainings a coordinator recorded as modules of one programme (commitments)."""
    items = [
        Item(
            heading=f"{p.name}, {p.organiser}",
            entries=[
                *fields(p, ["name", "training_type", "organiser", "verified_at"]),
                entry("modules", _("modules"), [str(m.training) for m in p.modules.all()]),
            ],
        )
        for p in TrainingProgramme.objects.filter(expert=expert).prefetch_related(
            "modules__training"
        )
    ]
    return Section("training_programmes", _("Training recorded as one programme"), items)


def signatures_section(expert) -> Section:
    """The confidentiality commitments the expert signed: which version, when, and its text."""
    items = [
        Item(
            heading=_("%(organisation)s, version %(version)s")
            % {"organisation": s.text.organisation.name, "version": s.text.version},
            entries=[
                entry("organisation", _("background organisation"), s.text.organisation.name),
                entry("version", _("version"), s.text.version),
                entry("signed_at", _("signed"), s.signed_at),
                entry("text", _("the commitment"), s.text.text),
            ],
        )
        for s in Signature.objects.filter(expert=expert)
        .select_related("text__organisation")
        .order_by("signed_at", "pk")
    ]
    return Section("confidentiality_signatures", _("Confidentiality commitments you signed"), items)


def series_sections(expert) -> list[Section]:
    """The expert's attendance at the meetings of a series, and the series' fee records.
    Only the expert's own rows: the other experts of the series are not in them, nor are the
    reasons a meeting was cancelled (written about the meeting, they may name others)."""
    attendance = [
        Item(
            heading=_order_heading(a.meeting.series.order, a.meeting.starts_at),
            entries=[
                entry("order", _("order"), a.meeting.series.order.title),
                entry("order_id", _("order number"), a.meeting.series.order_id),
                entry("meeting_starts_at", _("the meeting starts"), a.meeting.starts_at),
                entry(
                    "meeting_state",
                    _("state of the meeting"),
                    a.meeting.state,
                    capfirst(str(a.meeting.get_state_display())),
                ),
                *fields(a, ["status", "debriefed", ("recorded_at", _("recorded"))]),
            ],
        )
        for a in Attendance.objects.filter(expert=expert)
        .select_related("meeting__series__order")
        .order_by("meeting__starts_at", "pk")
    ]
    fees = [
        Item(
            heading=f"{r.series.order.title} ({display(r.period_start)})",
            entries=[
                entry("agreement_id", _("agreement number"), r.agreement_id),
                *fields(
                    r,
                    [
                        "period_start",
                        "meetings",
                        "fee_amount",
                        "fee_type",
                        "status",
                        "approved_at",
                        "paid_at",
                        ("created_at", _("recorded")),
                    ],
                ),
            ],
        )
        for r in SeriesFee.objects.filter(expert=expert).select_related("series__order")
    ]
    return [
        Section("series_attendance", _("Your attendance at the meetings of a series"), attendance),
        Section("series_fees", _("Fees for the meetings of a series"), fees),
    ]


def _who(event, expert, coordinator_ids, orderer_ids) -> str:
    """Who acted, by role: other people are not named in a person's own data."""
    if event.actor_id is None:
        return _("the system")
    if event.actor_id == expert.user_id:
        return _("you")
    if event.actor_id in coordinator_ids:
        return _("a coordinator of %(organisation)s") % {"organisation": expert.organisation}
    if event.actor_id in orderer_ids:
        return _("an orderer")
    return _("another user of the service")


def audit_section(expert) -> Section:
    events = list(AuditEvent.objects.filter(expert=expert).order_by("at", "pk"))
    coordinator_ids = set(expert.organisation.coordinators.values_list("user_id", flat=True))
    orderer_ids = set(
        Orderer.objects.filter(user_id__in={e.actor_id for e in events}).values_list(
            "user_id", flat=True
        )
    )
    items = []
    for event in events:
        who = _who(event, expert, coordinator_ids, orderer_ids)
        items.append(
            Item(
                heading=f"{display(event.at)}: {event.get_action_display()}",
                entries=[
                    entry("at", _("time"), event.at),
                    entry(
                        "action", _("what"), event.action, capfirst(str(event.get_action_display()))
                    ),
                    entry("who", _("who"), who),
                    entry("detail", _("detail"), event.readable_detail()),
                ],
            )
        )
    return Section(
        "audit_events",
        _("Audit log: who handled your data"),
        items,
        note=_("Coordinators are shown by their organisation only."),
    )


ORDER_FIELDS = [
    "title",
    "state",
    "organisation",
    "task_type",
    "topic",
    "description",
    "audience",
    "audience_size",
    "audience_notes",
    "topic_delimitation",
    "working_group",
    "role_introduction",
    "starts_at",
    "alternative_times",
    "is_remote",
    "location",
    "remote_link",
    "region",
    "language",
    "experts_needed",
    "expectations",
    "event_minutes",
    "preparation_minutes",
    "planning_minutes",
    "debrief_minutes",
    "travel_minutes",
    "fee_choice",
    "fee_amount",
    "travel_costs",
    "planning_meeting",
    "planning_meeting_at",
    "planning_notes",
    "debrief_by",
    "debrief_at",
    "confidentiality",
    "confidentiality_scope",
    "access_notes",
    "notice_days",
    "contact_name",
    "contact_phone",
    "contact_email",
]


def orderer_sections(orderer) -> list[Section]:
    profile = Item(
        heading=_("Orderer"),
        entries=fields(
            orderer,
            [
                "organisation_name",
                "unit",
                "title",
                "phone",
                "billing_details",
                "is_active",
                ("created_at", _("orderer profile created")),
                "verification",
                "decided_at",
                "refusal_reason",
            ],
        ),
    )
    orders = []
    for order in orderer.orders.select_related(
        "organisation", "task_type", "topic", "region", "language"
    ):
        entries = [entry("order_id", _("order number"), order.pk), *fields(order, ORDER_FIELDS)]
        entries.append(
            entry(
                "access_arrangements",
                order._meta.get_field("access_arrangements").verbose_name,
                [str(label) for label in order.access_arrangement_labels()],
            )
        )
        entries += [
            entry("created_at", _("created"), order.created_at),
            entry("submitted_at", _("sent for review"), order.submitted_at),
        ]
        orders.append(Item(heading=_order_heading(order), entries=entries))
    # The steps this person took, with the reasons they wrote. Other people's steps on the
    # timeline can name experts, so they are not part of this person's data.
    steps = [
        Item(
            heading=f"{display(e.at)}: {event_label(e)}",
            entries=[
                entry("order", _("order"), e.order.title),
                entry("at", _("time"), e.at),
                entry("step", _("step"), e.action, str(event_label(e))),
                entry("reason", _("reason"), e.reason),
            ],
        )
        for e in OrderEvent.objects.filter(actor=orderer.user, order__orderer=orderer)
        .select_related("order")
        .order_by("at", "pk")
    ]
    return [
        Section("orderer_profile", _("Orderer profile"), [profile], single=True),
        Section("orders", _("Orders"), orders),
        Section("order_steps", _("Steps you took on your orders"), steps),
    ]


def reminders_section(user) -> Section:
    items = [
        Item(
            heading=f"{r.order.title}: {r.get_kind_display()}",
            entries=[
                entry("order", _("order"), r.order.title),
                *fields(r, ["kind", "sent_at"]),
            ],
        )
        for r in ReminderSent.objects.filter(user=user).select_related("order").order_by("sent_at")
    ]
    return Section("reminders", _("Reminders sent to you"), items)


def notices_section(user) -> Section:
    items = [
        Item(
            heading=n.subject,
            entries=[
                *fields(n, ["subject", "created_at", "read_at"]),
                entry("delivery", _("delivery"), n.get_delivery_display()),
            ],
        )
        for n in Notice.objects.filter(user=user).order_by("created_at", "pk")
    ]
    preferences = [
        Item(
            heading=str(NOTICE_KINDS.get(p.kind, p.kind)),
            entries=[entry("delivery", _("delivery"), p.get_delivery_display())],
        )
        for p in NoticePreference.objects.filter(user=user).order_by("kind")
    ]
    return Section("notices", _("Your notices and how they reach you"), items + preferences)


def _message_who(message, user) -> str:
    """Who wrote a message, by role: the person's own data names nobody else."""
    if message.author_id is None:
        return _("a removed user")
    if message.author_id == user.pk:
        return _("you")
    thread = message.thread
    if message.author_id == thread.order.orderer.user_id:
        return _("the orderer")
    if thread.expert_id and message.author_id == thread.expert.user_id:
        return _("the expert")
    return _("a coordinator")


def messages_section(user, expert=None, *, expert_only: bool = False) -> Section:
    """The messages the person wrote, and, for an expert, the whole of their own threads
    with the coordinators (what was written to them is about them too)."""
    mine = Message.objects.none() if expert_only else Message.objects.filter(author=user)
    if expert is not None:
        mine = mine | Message.objects.filter(thread__expert=expert)
    items = []
    for message in mine.select_related("thread__order__orderer", "thread__expert").order_by(
        "created_at", "pk"
    ):
        thread = message.thread
        where = (
            _("the order's own conversation")
            if thread.is_main
            else _("your conversation with the coordinators")
            if expert is not None and thread.expert_id == expert.pk
            else _("a conversation with an expert")
        )
        items.append(
            Item(
                heading=f"{thread.order.title}: {display(message.created_at)}",
                entries=[
                    entry("order", _("order"), thread.order.title),
                    entry("conversation", _("conversation"), where),
                    entry("written_at", _("time"), message.created_at),
                    entry("who", _("who"), _message_who(message, user)),
                    entry("message", _("message"), message.body),
                ],
            )
        )
    return Section("messages", _("Messages"), items)


def collect(user, *, expert_only: bool = False) -> list[Section]:
    """Everything about this person. `expert_only`: the expert part only, for a coordinator
    answering an expert's request (an orderer role of the same person is not theirs to read)."""
    sections = [account_section(user)]
    expert = (
        Expert.objects.filter(user=user)
        .select_related("organisation", "user")
        .prefetch_related(*PROFILE_CHOICE_FIELDS, "trainings", "kind_applications")
        .first()
    )
    if expert is not None:
        sections += expert_sections(expert)
    if not expert_only:
        orderer = Orderer.objects.filter(user=user).first()
        if orderer is not None:
            sections += orderer_sections(orderer)
    sections.append(messages_section(user, expert, expert_only=expert_only))
    sections.append(reminders_section(user))
    if not expert_only:
        # Notices may be about the person's other roles too: theirs to read, not a coordinator's.
        sections.append(notices_section(user))
    return sections


def as_json(sections: list[Section], user) -> dict:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generated_at": timezone.localtime().isoformat(),
        "language": get_language(),
        "user_id": user.pk,
        "titles": {s.key: s.title for s in sections},
        **{s.key: s.data() for s in sections},
    }


def audit_detail(user, kind: str, sections: list[Section]) -> str:
    """What the audit log says about an export: ids and counts only, never names."""
    counts = ", ".join(f"{s.key} {len(s.items)}" for s in sections if not s.single and s.items)
    return f"{kind} of user {user.pk}" + (f": {counts}" if counts else "")
