"""Erasure of a person's data (GDPR art. 17): immediate, after a strong confirmation.

What is removed, and what is kept:

* **Kept, unchanged:** agreements and fee records, also a series' fee records per meeting or
  month. Accounting and tax law require them (they are the basis of a payment), and each keeps
  the snapshot it was written with, so the agreement's PDF, the fee list and the payroll CSV
  still work. Of the attendance at a series' meetings only "attended" stays, the basis of those
  fee records (without the debrief mark). They point to the expert row,
  which is therefore kept as a nameless, inactive placeholder (no profile, no choices), and that
  row points to a locked, nameless account with a placeholder e-mail address.
* **Removed:** the expert profile's contents (pseudonym, phone, municipality, story, bio,
  areas, topics, languages, regions, limits), trainings and programmes of modules, kind
  applications and decisions, the confidentiality commitments signed (a kept agreement still
  names the version signed), attendance at a series' meetings marked excused or absent,
  offers that led to no agreement (open ones are declined first, so the order goes back to
  matching), the free text of the offers that did, debriefs and feedback by and about the
  person, the person's message threads as an expert (with everything in them), the text and
  the author of the messages they wrote elsewhere (the row stays, shown as from a removed
  user, so the others' replies still read in order), reminders, e-mail addresses and two-factor devices, sessions (also a half-finished
  login by code), queued or finished e-mail tasks and outbox e-mails addressed to the person,
  and the names in the admin's history. When nothing has to be kept the expert row and the account are deleted.
* **Redacted:** the person's names, e-mail address and phone number wherever other records
  of the same orders mention them (the timeline's notes, order texts, a series' terms and the
  reasons its meetings were cancelled, other experts' debriefs
  and feedback, other people's messages on those orders, e-mails to other people about those orders) are replaced with ``***``. A cancellation the expert wrote is removed from the
  timeline; it stays in the agreement, which is kept.
* **An orderer:** draft orders are deleted; the orders others have seen lose their contact
  details and the person's name, and the orderer profile keeps only the organisation's name.
* The audit log is append-only: its events keep pointing to the placeholder expert row (or
  lose the link when the row is deleted). Audit details hold only ids and counts, so nothing
  in them names the person. The erasure itself is recorded with counts.

Erasure is refused while it would break work in progress: an agreed assignment that has not
taken place, orders in progress, a coordinator post or an administrator's rights.
"""

import contextlib
import json
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.agreements.services import CANCELLED, WITHDRAWN
from kokemustori.audit.log import record
from kokemustori.audit.models import Action
from kokemustori.calendars.models import CalendarFeed
from kokemustori.commitments.models import Signature, TrainingProgramme
from kokemustori.conversations.models import Message, ReadMark, Thread
from kokemustori.experts.models import PROFILE_CHOICE_FIELDS, Expert, ExpertStatus
from kokemustori.fees.models import FeeRecord
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.identity.models import IdentityConfirmation
from kokemustori.notifications.models import Notice, NoticePreference, ReminderSent
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import Offer, OfferState
from kokemustori.orderers.models import Orderer
from kokemustori.orders.models import Order, OrderEvent, OrderState
from kokemustori.organisations.models import Coordinator
from kokemustori.outbox.models import OutboundEmail, State
from kokemustori.requirements.models import Qualification
from kokemustori.series.models import Attendance, AttendanceStatus, Meeting, Series, SeriesFee

PLACEHOLDER = "***"
ERASED_EMAIL_DOMAIN = "erased.invalid"

# Order texts that may name the people involved. (Not contact_email or remote_link: a
# redacted address would no longer be an address; an orderer's erasure empties them.)
ORDER_TEXT_FIELDS = (
    "title",
    "description",
    "audience_notes",
    "topic_delimitation",
    "working_group",
    "role_introduction",
    "alternative_times",
    "location",
    "expectations",
    "travel_costs",
    "planning_notes",
    "debrief_by",
    "confidentiality_scope",
    "access_notes",
    "contact_name",
)


class ErasureRefused(ValidationError):
    """Erasure cannot be done now; `messages` say why, in plain language."""


@dataclass
class ErasureResult:
    user_id: int
    expert_id: int | None = None
    expert: str = ""  # "deleted" or "anonymised"
    account: str = ""  # "deleted" or "anonymised"
    counts: Counter = field(default_factory=Counter)

    def detail(self, prefix: str = "") -> str:
        """For the audit log: ids and counts, never names."""
        parts = [f"user {self.user_id}: account {self.account}"]
        if self.expert_id:
            parts.append(f"expert {self.expert_id} {self.expert}")
        parts += [f"{name} {n}" for name, n in sorted(self.counts.items()) if n]
        return (prefix + "; ".join(parts))[:300]


# Who may be erased now ------------------------------------------------------------------------


def _assignment_ahead_states():
    return (OrderState.MATCHING, OrderState.OFFERED, OrderState.AGREED)


def _order_in_progress_states():
    return (
        OrderState.SUBMITTED,
        OrderState.NEEDS_CHANGES,
        OrderState.MATCHING,
        OrderState.OFFERED,
        OrderState.AGREED,
        OrderState.DONE,
        OrderState.DEBRIEFED,
    )


def blockers(user, *, by_coordinator: bool = False, expert_only: bool = False) -> list[str]:
    """Why this person's data cannot be erased now (an empty list: it can)."""
    reasons = []
    if not expert_only:
        if user.is_staff or user.is_superuser:
            reasons.append(
                _(
                    "This account has administrator rights. Another administrator must remove "
                    "them before the account can be erased."
                )
            )
        if user.coordinator_posts.filter(is_active=True).exists():
            reasons.append(
                _(
                    "This account holds a coordinator post. An administrator must end the post "
                    "before the account can be erased."
                )
            )
    expert = Expert.objects.filter(user=user).first()
    if expert is not None:
        ahead = (
            Agreement.objects.filter(expert=expert, order__state__in=_assignment_ahead_states())
            .exclude(state=AgreementState.CANCELLED)
            .select_related("order")
        )
        for agreement in ahead:
            reasons.append(
                _(
                    "An assignment has been agreed but has not yet taken place: “%(order)s”. "
                    "The agreement must be cancelled first, or the assignment done."
                )
                % {"order": agreement.order.title}
            )
    orderer = Orderer.objects.filter(user=user).first()
    if orderer is not None and not expert_only:
        if by_coordinator:
            reasons.append(
                _(
                    "This person also orders experts. They can erase their account themselves, "
                    "or an administrator can help."
                )
            )
        elif orderer.orders.filter(state__in=_order_in_progress_states()).exists():
            reasons.append(
                _(
                    "You have orders in progress. Cancel them, or ask the coordinator to close "
                    "them once the assignment and its debrief are done."
                )
            )
    return reasons


# Redaction ------------------------------------------------------------------------------------


def identifying_strings(user, expert=None, orderer=None) -> set[str]:
    """The person's names, e-mail address and phone numbers, as written in other records."""
    strings = {user.email, user.first_name, user.last_name, user.get_full_name()}
    if expert is not None:
        strings |= {expert.pseudonym, expert.phone}
        for legal, public in Agreement.objects.filter(expert=expert).values_list(
            "expert_legal_name", "expert_public_name"
        ):
            strings |= {legal, public}
    if orderer is not None:
        strings.add(orderer.phone)
    # Very short strings (an initial) would match ordinary words.
    return {s.strip() for s in strings if s and len(s.strip()) >= 2}


def redaction_pattern(strings):
    if not strings:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _redact_rows(queryset, fields_, pattern) -> int:
    changed_rows = 0
    for row in queryset.only("pk", *fields_):
        changes = {}
        for name in fields_:
            old = getattr(row, name) or ""
            new = pattern.sub(PLACEHOLDER, old)
            if new != old:
                changes[name] = new
        if changes:
            # update(): no auto_now, no signals; these are corrections, not edits.
            type(row).objects.filter(pk=row.pk).update(**changes)
            changed_rows += 1
    return changed_rows


def redact_orders(order_ids, strings) -> int:
    """Replace the person's names in every text of these orders except the agreements."""
    pattern = redaction_pattern(strings)
    if pattern is None or not order_ids:
        return 0
    return (
        _redact_rows(Order.objects.filter(pk__in=order_ids), ORDER_TEXT_FIELDS, pattern)
        + _redact_rows(OrderEvent.objects.filter(order_id__in=order_ids), ["reason"], pattern)
        + _redact_rows(Offer.objects.filter(order_id__in=order_ids), ["message"], pattern)
        + _redact_rows(
            Debrief.objects.filter(order_id__in=order_ids),
            ["held_by", "feelings", "evaluation"],
            pattern,
        )
        + _redact_rows(Feedback.objects.filter(order_id__in=order_ids), ["comment"], pattern)
        + _redact_rows(Message.objects.filter(thread__order_id__in=order_ids), ["body"], pattern)
        + _redact_rows(Series.objects.filter(order_id__in=order_ids), ["leaving_terms"], pattern)
        + _redact_rows(
            Meeting.objects.filter(series__order_id__in=order_ids),
            ["cancellation_reason"],
            pattern,
        )
        + _redact_outbox(order_ids, pattern)
    )


def _redact_outbox(order_ids, pattern) -> int:
    """E-mails to other people about these orders may name or quote the person. Those already
    sent lose their body (the outbox keeps only that they were sent); those still waiting keep
    their body with the person's names replaced."""
    from django.contrib.contenttypes.models import ContentType

    if pattern is None or not order_ids:
        return 0
    about = OutboundEmail.objects.filter(
        about_type=ContentType.objects.get_for_model(Order), about_id__in=order_ids
    )
    changed = about.filter(state=State.SENT).update(body_text="", body_html="", attachments=[])
    changed += _redact_rows(about, ["subject", "body_text", "body_html"], pattern)
    for row in about.exclude(attachments=[]).only("pk", "attachments"):
        attachments = [
            {**a, "content": pattern.sub(PLACEHOLDER, a.get("content") or "")}
            for a in row.attachments
        ]
        if attachments != row.attachments:
            OutboundEmail.objects.filter(pk=row.pk).update(attachments=attachments)
    return changed


def delete_outbox_emails(user) -> int:
    """Every outbox e-mail addressed to the person (by account or by address)."""
    matches = Q(user=user)
    if user.email:
        matches |= Q(to_email__iexact=user.email)
    return OutboundEmail.objects.filter(matches).delete()[0]


# The parts of a person ------------------------------------------------------------------------


def _deleted(result, name, deletion) -> None:
    result.counts[name] += deletion[0]


def _erase_expert(expert, strings, result) -> bool:
    """Remove the expert's data. True when the (anonymised) expert row has to stay."""
    # Open offers are declined first, so that an order waiting only for this expert goes back
    # to matching and its coordinators are told.
    for offer_id in Offer.objects.filter(expert=expert, state=OfferState.OPEN).values_list(
        "pk", flat=True
    ):
        with contextlib.suppress(ValidationError):  # expired or answered in the meantime
            offer_services.decline(expert.user, offer_id)
        result.counts["offers_declined"] += 1

    order_ids = set(Offer.objects.filter(expert=expert).values_list("order_id", flat=True))
    order_ids |= set(Debrief.objects.filter(expert=expert).values_list("order_id", flat=True))
    order_ids |= set(Feedback.objects.filter(expert=expert).values_list("order_id", flat=True))

    # A cancellation the expert wrote may tell of their health: off the timeline (the agreement,
    # which is kept, still holds it).
    own_reasons = set()
    for agreement in Agreement.objects.filter(
        expert=expert, state=AgreementState.CANCELLED, cancelled_by=expert.user
    ):
        name = f"{agreement.expert_public_name} (#{agreement.pk})"
        # Notes before withdrawals had their own name were "cancelled"; a withdrawal without a
        # reason names the expert only.
        result.counts["timeline_reasons_removed"] += (
            OrderEvent.objects.filter(
                order_id=agreement.order_id, action__in=(CANCELLED, WITHDRAWN)
            )
            .filter(Q(reason__startswith=f"{name}:") | Q(reason=name))
            .update(reason=f"{PLACEHOLDER} (#{agreement.pk})")
        )
        if agreement.cancellation_reason.strip():
            own_reasons.add(agreement.cancellation_reason.strip())
    # ... and off the e-mails to the others that quote it.
    result.counts["texts_redacted"] += _redact_outbox(order_ids, redaction_pattern(own_reasons))

    # The expert's own threads with their coordinators are all about this person (what they
    # can do, how they are): nothing in them has to be kept, so they go whole.
    _deleted(result, "message_threads", Thread.objects.filter(expert=expert).delete())

    result.counts["texts_redacted"] += redact_orders(order_ids, strings)

    _deleted(result, "debriefs", Debrief.objects.filter(expert=expert).delete())
    _deleted(result, "feedback", Feedback.objects.filter(expert=expert).delete())
    _deleted(
        result,
        "offers",
        Offer.objects.filter(expert=expert, agreement__isnull=True).delete(),
    )
    result.counts["offers_kept"] += Offer.objects.filter(expert=expert).update(
        message="", match_reasons=""
    )
    _deleted(result, "kind_applications", expert.kind_applications.all().delete())
    for name, rows in (
        ("open_call_interests", expert.open_call_interests.all()),
        ("qualifications", Qualification.objects.filter(expert=expert)),
    ):
        deleted = rows.delete()[0]
        if deleted:
            result.counts[name] += deleted
    # Commitments: the programmes go with the trainings they combine; a signature goes too (a
    # kept agreement names the version the expert signed, in its own words).
    result.counts["training_programmes"] += (
        TrainingProgramme.objects.filter(expert=expert)
        .delete()[1]
        .get(TrainingProgramme._meta.label, 0)
    )
    _deleted(result, "trainings", expert.trainings.all().delete())
    _deleted(result, "confidentiality_signatures", Signature.objects.filter(expert=expert).delete())
    # A series: "attended" is the basis of the series' fee records, which are kept (and are
    # made again from it while pending); excused or absent may tell why, and pays nothing.
    attendance = Attendance.objects.filter(expert=expert)
    _deleted(
        result,
        "series_attendance",
        attendance.exclude(status=AttendanceStatus.ATTENDED).delete(),
    )
    result.counts["series_attendance_kept"] += attendance.update(debriefed=False)
    # The legal name a strong-identification broker confirmed (the kept agreement holds the
    # name it needs).
    _deleted(
        result,
        "identity_confirmations",
        IdentityConfirmation.objects.filter(expert=expert).delete(),
    )

    keep = (
        Agreement.objects.filter(expert=expert).exists()
        or FeeRecord.objects.filter(expert=expert).exists()
        or SeriesFee.objects.filter(expert=expert).exists()
    )
    if keep:
        for name, value in {
            "status": ExpertStatus.INACTIVE,
            "first_name_public": False,
            "uses_pseudonym": False,
            "pseudonym": "",
            "phone": "",
            "municipality": "",
            "experience_story": "",
            "bio": "",
            "works_remotely": False,
            "workload_limit": None,
            "work_preference": "",
            "monthly_earnings_limit": None,
            "yearly_earnings_limit": None,
            "personal_identity_code_encrypted": "",
            "on_break": False,
            "break_started_at": None,
            "show_areas": False,
            "show_topics": False,
            "show_story": False,
        }.items():
            setattr(expert, name, value)
        expert.save()
        for name in PROFILE_CHOICE_FIELDS:
            getattr(expert, name).clear()
    result.expert_id = expert.pk
    result.expert = "anonymised" if keep else "deleted"
    return keep


def _erase_orderer(orderer, strings, result) -> bool:
    """Remove the orderer's data. True when the (anonymised) orderer row has to stay."""
    drafts = Order.objects.filter(orderer=orderer, state=OrderState.DRAFT, agreements__isnull=True)
    _deleted(result, "draft_orders", drafts.delete())
    orders = Order.objects.filter(orderer=orderer)
    order_ids = list(orders.values_list("pk", flat=True))
    result.counts["orders_anonymised"] += orders.update(
        contact_name="", contact_phone="", contact_email=""
    )
    result.counts["texts_redacted"] += redact_orders(order_ids, strings)
    if not order_ids:
        orderer.delete()
        return False
    orderer.unit = orderer.title = orderer.phone = orderer.billing_details = ""
    orderer.refusal_reason = ""
    orderer.is_active = False
    orderer.save()
    return True


def _session_belongs(data: dict, user_id: str, email: str) -> bool:
    if str(data.get("_auth_user_id", "")) == user_id:
        return True
    login = data.get("account_login")
    if isinstance(login, dict) and str(login.get("user_pk") or "") == user_id:
        return True
    return bool(email) and email in json.dumps(data, default=str).lower()


def delete_sessions(user) -> int:
    """Sessions of this person, also one in the middle of a login by code. Only sessions kept
    in the database can be searched (the default, and cached_db)."""
    engine = settings.SESSION_ENGINE
    if engine not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return 0
    from django.contrib.sessions.models import Session

    store = import_module(engine).SessionStore
    user_id, email = str(user.pk), (user.email or "").lower()
    doomed = [
        session.session_key
        for session in Session.objects.iterator()
        if _session_belongs(session.get_decoded(), user_id, email)
    ]
    for key in doomed:
        store(session_key=key).delete()
    return len(doomed)


def delete_task_results(user) -> int:
    """Queued and finished e-mail tasks for this person (their arguments name the recipient),
    and any task whose arguments, result or error text holds their e-mail address."""
    from django.apps import apps

    try:
        task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:
        return 0
    matches = Q(task_path__endswith=".send_email", args_kwargs__args__0=user.pk)
    if user.email:
        matches |= Q(traceback__icontains=user.email)
        for name in ("args_kwargs", "return_value"):
            matches |= Q(**{f"{name}__icontains": user.email})
    return task_result.objects.filter(matches).delete()[0]


def _scrub_admin_history(user, objects, strings) -> int:
    """The admin's change history names the objects it changed: keep the history, drop the name."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    matches = Q(pk__in=[])
    for obj in objects:
        if obj is not None and obj.pk is not None:
            matches |= Q(
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=str(obj.pk),
            )
    for text in strings:
        matches |= Q(object_repr__icontains=text)
    return LogEntry.objects.filter(matches).update(object_repr=PLACEHOLDER)


def _account_traces(user, result, strings, objects) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    _deleted(result, "email_addresses", EmailAddress.objects.filter(user=user).delete())
    _deleted(result, "authenticators", Authenticator.objects.filter(user=user).delete())
    # Identities linked from organisations' providers (their subject, e-mail and name).
    _deleted(result, "linked_identities", SocialAccount.objects.filter(user=user).delete())
    _deleted(result, "reminders", ReminderSent.objects.filter(user=user).delete())
    _deleted(result, "notices", Notice.objects.filter(user=user).delete())
    # Messages the person wrote in threads that stay (an order's own thread): the row stays, so
    # the others' replies still read in order, but without the author and without the text.
    result.counts["messages_removed"] += Message.objects.filter(author=user).update(
        author=None, body="", removed=True
    )
    ReadMark.objects.filter(user=user).delete()
    NoticePreference.objects.filter(user=user).delete()
    # The calendar's secret address stops working with the account.
    _deleted(result, "calendar_feeds", CalendarFeed.objects.filter(user=user).delete())
    _deleted(
        result, "former_posts", Coordinator.objects.filter(user=user, is_active=False).delete()
    )
    result.counts["sessions"] += delete_sessions(user)
    result.counts["tasks"] += delete_task_results(user)
    result.counts["emails"] += delete_outbox_emails(user)
    result.counts["admin_history"] += _scrub_admin_history(user, objects, strings)


def is_erased(user) -> bool:
    """An account left as a placeholder by an earlier erasure."""
    return (user.email or "").endswith("@" + ERASED_EMAIL_DOMAIN)


def anonymise_user(user) -> None:
    user.email = f"erased-{secrets.token_hex(8)}@{ERASED_EMAIL_DOMAIN}"
    user.first_name = ""
    user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


# Erasure --------------------------------------------------------------------------------------


def erase(user, *, actor, action=Action.ERASED, expert_only: bool = False) -> ErasureResult:
    """Erase this person's data now. `actor` is who does it (the person, a coordinator of their
    organisation, or None for the retention job). `expert_only` erases the expert part and
    leaves the account (the person has another role). Raises ErasureRefused with the reasons
    when it cannot be done now."""
    by_coordinator = actor is not None and actor.pk != user.pk
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        reasons = blockers(user, by_coordinator=by_coordinator, expert_only=expert_only)
        if reasons:
            raise ErasureRefused(reasons)
        expert = Expert.objects.filter(user=user).select_related("organisation", "user").first()
        orderer = None if expert_only else Orderer.objects.filter(user=user).first()
        strings = identifying_strings(user, expert, orderer)
        objects = [expert, orderer]
        if expert is not None:
            objects += [
                *expert.trainings.all(),
                *expert.kind_applications.all(),
                *Signature.objects.filter(expert=expert),
                *TrainingProgramme.objects.filter(expert=expert),
            ]
        if not expert_only:
            objects.append(user)
        result = ErasureResult(user_id=user.pk)

        keep_expert = _erase_expert(expert, strings, result) if expert is not None else False
        keep_orderer = _erase_orderer(orderer, strings, result) if orderer is not None else False
        if expert_only:
            result.counts["admin_history"] += _scrub_admin_history(user, objects, strings)
            result.account = "kept"
        else:
            _account_traces(user, result, strings, objects)
            result.account = "anonymised" if keep_expert or keep_orderer else "deleted"

        # Recorded before the rows go, so the event's links are valid when written; deleting
        # the expert then empties the link, as it does for the expert's earlier events.
        record(
            actor,
            action,
            expert=expert if keep_expert else None,
            organisation=expert.organisation if expert is not None else None,
            detail=result.detail(),
        )
        if expert is not None and not keep_expert:
            expert.delete()
        if not expert_only:
            if result.account == "deleted":
                user.delete()
            else:
                anonymise_user(user)
    return result
