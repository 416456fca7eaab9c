"""The yearly summary as a tagged PDF in the reader's language (core.documents): the key
figures and every table of the year, the same tables as the page and the exports."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kokemustori.core.documents import Document, render_document

from .figures import Report
from .tables import all_tables


def title(report: Report, language: str) -> str:
    with override(language):
        return _("Kokemustori yearly summary %(year)s") % {"year": report.period.start.year}


def document(report: Report, language: str, names: list[str], is_network: bool) -> Document:
    tz = timezone.get_current_timezone()
    created = datetime.combine(report.period.start, time.min, tzinfo=tz)
    # The figures of a year still under way change every day: the document is as of today.
    end = datetime.combine(report.period.end + timedelta(days=1), time.min, tzinfo=tz)
    today = datetime.combine(timezone.localdate(), time.min, tzinfo=tz)
    with override(language):
        context = {
            "report": report,
            "tables": all_tables(report),
            "organisations": names,
            "is_network": is_network,
            "as_of": min(end - timedelta(days=1), today),
        }
    return render_document(
        "reports/summary.html",
        context,
        language=language,
        title=title(report, language),
        created=created,
        modified=min(end, today),
        identifier=f"kokemustori-report-{report.period.start.year}",
    )
