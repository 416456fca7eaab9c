"""The agreement as a tagged PDF, in the reader's language.

Drawn from the same template as the agreement page (``agreements/terms.html``, inside
``agreements/document.html``) and the same data (``display.sections``), by
``core.documents``. The document's dates are the agreement's own (made, last accepted or
cancelled), so the same agreement in the same state and language always gives the same file.
"""

from django.utils.translation import gettext as _
from django.utils.translation import override

from kokemustori.core.documents import Document, render_document

from .display import sections
from .models import Agreement


def title(agreement: Agreement, language: str) -> str:
    with override(language):
        number = _("Agreement no. %(number)s, version %(version)s") % {
            "number": agreement.pk,
            "version": agreement.version,
        }
        return f"{_('Agreement on an experience expert assignment')} – {number}"


def modified_at(agreement: Agreement):
    """When the agreement last changed: made, accepted by either party, or cancelled."""
    moments = [
        agreement.created_at,
        agreement.orderer_accepted_at,
        agreement.expert_accepted_at,
        agreement.cancelled_at,
    ]
    return max(moment for moment in moments if moment is not None)


def document(agreement: Agreement, language: str, *, compress: bool = True) -> Document:
    with override(language):
        context = {
            "agreement": agreement,
            "order": agreement.order,
            "sections": sections(agreement),
            "document": True,
        }
    return render_document(
        "agreements/document.html",
        context,
        language=language,
        title=title(agreement, language),
        created=agreement.created_at,
        modified=modified_at(agreement),
        identifier=f"kokemustori-agreement-{agreement.pk}-v{agreement.version}",
        compress=compress,
    )


def render_pdf(agreement: Agreement, language: str, *, compress: bool = True) -> bytes:
    """The agreement's PDF as it stands now, in `language`."""
    return document(agreement, language, compress=compress).content
