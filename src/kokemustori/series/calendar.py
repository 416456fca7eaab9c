"""Each meeting of a series as its own calendar event (the calendar feed, calendars app).

Like every calendar entry (agreements/ics.py), a meeting names the task type and the orderer's
organisation only, never the order's title or tasks. A cancelled meeting stays in the feed
marked cancelled, so subscribed calendars remove it; the series' other meetings stay.
"""

from django.utils.translation import gettext as _

from kokemustori.agreements.models import AgreementState

from .models import Meeting

_AGREEMENT_STATUS = {
    AgreementState.PENDING: "TENTATIVE",
    AgreementState.ACCEPTED: "CONFIRMED",
    AgreementState.CANCELLED: "CANCELLED",
}


def entries_for(agreements):
    """`entries_of` for agreements/ics.calendar_of: the meetings of all these agreements'
    series read in one query, whatever the number of agreements."""
    by_order: dict[int, list] = {}
    meetings = Meeting.objects.filter(
        series__order_id__in={agreement.order_id for agreement in agreements}
    ).select_related("series")
    for meeting in meetings:
        by_order.setdefault(meeting.series.order_id, []).append(meeting)
    return lambda agreement: meeting_entries(agreement, by_order.get(agreement.order_id))


def meeting_entries(agreement, meetings):
    """The events of a series agreement, one a meeting; None for any other agreement."""
    if not meetings:
        return None
    order = agreement.order
    task = str(order.task_type.name) if order.task_type_id else _("assignment")
    organisation = order.orderer.organisation_name
    count = len(meetings)
    entries = []
    for number, meeting in enumerate(meetings, start=1):
        status = "CANCELLED" if meeting.is_cancelled else _AGREEMENT_STATUS[agreement.state]
        entries.append(
            (
                f"meeting-{meeting.pk}",
                _("Meeting %(number)s/%(count)s: %(task)s, %(organisation)s")
                % {"number": number, "count": count, "task": task, "organisation": organisation},
                meeting.starts_at,
                meeting.ends_at,
                agreement.place,
                status,
            )
        )
    return entries
