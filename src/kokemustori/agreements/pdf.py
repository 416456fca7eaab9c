"""The agreement as a PDF (reportlab platypus), in the reader's language.

The agreement's fields are a snapshot that nothing edits, and the document is rendered in
reportlab's invariant mode, so the same agreement in the same language always gives the same
file: this is the kept copy. The standard Helvetica font covers Finnish and Swedish (ä, ö, å,
and the rest of Windows-1252); the rare letter outside it (e.g. Sámi č, đ, ŋ) is written
without its accent rather than as a black box.
"""

import io
import unicodedata
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .display import sections
from .models import Agreement

# Letters without a Windows-1252 form that do not decompose to one.
_FOLD = str.maketrans(
    {"Đ": "D", "đ": "d", "Ŋ": "N", "ŋ": "n", "Ŧ": "T", "ŧ": "t", "Ʒ": "Z", "ʒ": "z"}
)


def _encodable(text: str) -> str:
    out = []
    for char in str(text).translate(_FOLD):
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            try:
                base.encode("cp1252")
            except UnicodeEncodeError:
                base = "?"
            char = base or "?"
        out.append(char)
    return "".join(out)


def _markup(text: str) -> str:
    """Plain text to the paragraph mini-markup: escaped, line breaks kept."""
    return escape(_encodable(text)).replace("\n", "<br/>")


def _styles():
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName="Helvetica-Bold", fontSize=17
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base["Normal"], textColor=colors.HexColor("#4a5565")
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base["Heading2"],
            fontName="Helvetica-Bold",
            fontSize=12.5,
            spaceBefore=10,
        ),
        "body": ParagraphStyle(
            "body", parent=base["Normal"], fontName="Helvetica", fontSize=10, leading=13.5
        ),
        "label": ParagraphStyle(
            "label", parent=base["Normal"], fontName="Helvetica-Bold", fontSize=10, leading=13.5
        ),
    }


def _section_flowables(section, styles, width):
    flowables = [Paragraph(_markup(section.title), styles["heading"])]
    labelled = section.labelled
    if labelled:
        table = Table(
            [
                [
                    Paragraph(_markup(label), styles["label"]),
                    Paragraph(_markup(text), styles["body"]),
                ]
                for label, text in labelled
            ],
            colWidths=[width * 0.32, width * 0.68],
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        flowables.append(table)
        flowables.append(Spacer(1, 2 * mm))
    for text in section.notes:
        flowables.append(Paragraph(_markup(text), styles["body"]))
        flowables.append(Spacer(1, 2 * mm))
    return flowables


def render_pdf(agreement: Agreement, language: str, *, compress: bool = True) -> bytes:
    """The agreement in `language` (the reader's). `compress=False` leaves the page streams
    readable, for tests."""
    buffer = io.BytesIO()
    with translation.override(language):
        title = _("Agreement on an experience expert assignment")
        number = _("Agreement no. %(number)s") % {"number": agreement.pk}
        styles = _styles()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=_encodable(f"{title} – {number}"),
            author="Kokemustori",
            creator="Kokemustori",
            lang=language,
            pageCompression=1 if compress else 0,
            invariant=1,
        )

        def footer(canvas, document):
            canvas.saveState()
            canvas.setFont("Helvetica", 8)
            canvas.setFillColor(colors.HexColor("#4a5565"))
            canvas.drawString(
                20 * mm,
                10 * mm,
                _encodable(
                    _("Kokemustori · %(number)s · page %(page)s")
                    % {"number": number, "page": document.page}
                ),
            )
            canvas.restoreState()

        order = agreement.order
        story = [
            Paragraph(_markup(title), styles["title"]),
            Paragraph(
                _markup(
                    _("%(number)s · order %(order)s: %(title)s · %(state)s")
                    % {
                        "number": number,
                        "order": order.pk,
                        "title": order.title,
                        "state": agreement.get_state_display(),
                    }
                ),
                styles["subtitle"],
            ),
            Spacer(1, 4 * mm),
        ]
        for section in sections(agreement):
            # The frame pads its content by 6 points on each side.
            flowables = _section_flowables(section, styles, doc.width - 12)
            # Keep a heading with its first lines; long texts may still break across pages.
            story.append(KeepTogether(flowables[:2]))
            story.extend(flowables[2:])
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
