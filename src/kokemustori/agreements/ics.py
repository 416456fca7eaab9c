"""Calendar entries (ICS) for an agreement: the assignment, the planning meeting and the debrief.

Calendars are often shared with colleagues and synchronised to phones, so the entries carry
no special-category data: no order title or task text (either may name an illness), no
experience areas, and the expert appears only by the public name (never the legal name of an
expert who works under a pseudonym). The agreement itself, behind login, has the rest.

Each event has a UID stable per agreement and event, and a SEQUENCE and STATUS that follow the
agreement (tentative, confirmed, cancelled), so a calendar that imports the file again updates
the entries instead of duplicating them.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event

from .display import HELSINKI
from .models import Agreement, AgreementState

UID_DOMAIN = "kokemustori"
DEFAULT_MINUTES = {"assignment": 60, "planning": 60, "debrief": 30}

_STATUS = {
    AgreementState.PENDING: ("TENTATIVE", 0),
    AgreementState.ACCEPTED: ("CONFIRMED", 1),
    AgreementState.CANCELLED: ("CANCELLED", 2),
}


def event_uid(agreement: Agreement, key: str) -> str:
    return f"agreement-{agreement.pk}-{key}@{UID_DOMAIN}"


def _task_name(agreement: Agreement) -> str:
    order = agreement.order
    if order.task_type_id:
        return str(order.task_type.name)
    return _("assignment")


def _entries(agreement: Agreement):
    """(key, summary, start, end, location) for each event that has a time."""
    order = agreement.order
    task = _task_name(agreement)
    organisation = order.orderer.organisation_name
    entries = [
        (
            "assignment",
            _("Experience expert assignment: %(task)s, %(organisation)s")
            % {"task": task, "organisation": organisation},
            agreement.starts_at,
            agreement.ends_at
            or agreement.starts_at + timedelta(minutes=DEFAULT_MINUTES["assignment"]),
            agreement.place,
        )
    ]
    if agreement.planning_meeting_at:
        minutes = order.planning_minutes or DEFAULT_MINUTES["planning"]
        entries.append(
            (
                "planning",
                _("Planning meeting: %(task)s, %(organisation)s")
                % {"task": task, "organisation": organisation},
                agreement.planning_meeting_at,
                agreement.planning_meeting_at + timedelta(minutes=minutes),
                "",
            )
        )
    if agreement.debrief_at:
        minutes = order.debrief_minutes or DEFAULT_MINUTES["debrief"]
        entries.append(
            (
                "debrief",
                _("Debrief: %(task)s, %(organisation)s")
                % {"task": task, "organisation": organisation},
                agreement.debrief_at,
                agreement.debrief_at + timedelta(minutes=minutes),
                "",
            )
        )
    return entries


def _description(agreement: Agreement, key: str, url: str, contacts: bool = True) -> str:
    lines = [
        _("Agreement no. %(number)s") % {"number": agreement.pk},
        _("Experience expert: %(name)s") % {"name": agreement.expert_public_name},
    ]
    if contacts:
        lines += [_("Orderer's contact person:"), agreement.orderer_contact]
    if contacts and agreement.coordinator_contact:
        lines += [_("Coordinators:"), agreement.coordinator_contact]
    if key == "debrief" and agreement.debrief_by:
        lines.append(_("Debrief held by: %(name)s") % {"name": agreement.debrief_by})
    if key != "assignment":
        lines.append(_("Agree the place or the remote link with the orderer."))
    if agreement.state == AgreementState.PENDING:
        lines.append(_("Not yet accepted by both: the agreement is waiting for acceptance."))
    if url:
        lines.append(_("The agreement: %(url)s") % {"url": url})
    return "\n".join(line for line in lines if line)


def calendar_for(agreement: Agreement, language: str, *, url: str = "") -> bytes:
    """An iCalendar file with the agreement's events, in `language`. `url`, if given, is the
    absolute address of the agreement page, added to each description."""
    with override(language):
        name = _("Kokemustori: agreement %(number)s") % {"number": agreement.pk}
    return calendar_of([agreement], language, name=name, url_of=lambda _agreement: url)


def calendar_of(
    agreements, language: str, *, name: str, url_of, contacts: bool = True, entries_of=None
) -> bytes:
    """One iCalendar file with the events of all these agreements (a person's calendar feed
    uses it too), in `language`. `url_of(agreement)` gives the address of its page, or "".
    Without `contacts` the entries leave out the contact persons' details (a subscribed feed
    is read by whoever holds its address; the agreement page behind the link has them).
    `entries_of(agreement)`, if given, may replace an agreement's events: it returns a list of
    (key, summary, start, end, location, status or None), or None for the usual events (the
    calendar feed lets the series app give each meeting of a series its own event)."""
    with override(language):
        calendar = Calendar()
        calendar.add("prodid", "-//Kokemustori//Agreements//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", name)
        stamp = timezone.now()
        first = last = None
        for agreement in agreements:
            status, sequence = _STATUS.get(agreement.state, ("TENTATIVE", 0))
            # Each version moves the entries on, so a calendar takes the changed time.
            sequence += len(_STATUS) * (agreement.version - 1)
            url = url_of(agreement)
            entries = entries_of(agreement) if entries_of else None
            if entries is None:
                entries = [(*entry, None) for entry in _entries(agreement)]
            for key, summary, start, end, location, own_status in entries:
                start, end = start.astimezone(HELSINKI), end.astimezone(HELSINKI)
                event = Event()
                event.add("uid", event_uid(agreement, key))
                event.add("dtstamp", stamp)
                event.add("dtstart", start)
                event.add("dtend", end)
                event.add("summary", summary)
                if location:
                    event.add("location", location)
                event.add("description", _description(agreement, key, url, contacts))
                event.add("status", own_status or status)
                event.add("sequence", sequence)
                if url:
                    event.add("url", url)
                calendar.add_component(event)
                first = min(first, start) if first else start
                last = max(last, end) if last else end
        if first is not None:
            # Only the time-zone rules around these events, not decades of them.
            calendar.add_missing_timezones(
                first_date=first.date() - timedelta(days=366),
                last_date=last.date() + timedelta(days=366),
            )
    return calendar.to_ical()
