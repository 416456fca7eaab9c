"""Printable documents: a template, its context, a language and a title in, tagged PDF out.

Every document the service hands out (the agreement now, the yearly report later) is an HTML
template rendered with WeasyPrint, so a page and its PDF can share one template and one set of
data. The PDF is PDF/UA-1: tagged, with a structure tree that follows the HTML (headings,
lists, tables with header cells, figures with their alternative text), in reading order, the
document language set in the catalogue, the title in the metadata and shown as the window
title, and embedded subsets of DejaVu Sans (Debian's fonts-dejavu-core), which covers Finnish,
Swedish and Sámi letters.

The template extends ``documents/base.html`` and fills ``{% block body %}``. Nothing is fetched
from the network: only files under this project's static directory may be loaded (the print
style sheet, images of a future report). With the same data and dates the output is the same
bytes, so a kept copy can be told from a changed one by its SHA-256.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML, URLFetcher

STATIC_DIR = Path(settings.BASE_DIR) / "static"
PRINT_CSS = STATIC_DIR / "kokemustori" / "print.css"
PDF_VARIANT = "pdf/ua-1"


class LocalOnlyFetcher(URLFetcher):
    """Loads files under the static directory and nothing else: no network, no other file."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file://"):
            path = Path(url.removeprefix("file://").split("?")[0].split("#")[0]).resolve()
            if path.is_relative_to(STATIC_DIR.resolve()):
                return super().fetch(url, headers)
        raise ValueError(f"Documents load only the project's own static files, not {url!r}")


@dataclass(frozen=True)
class Document:
    content: bytes
    title: str
    language: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _w3c(moment: datetime) -> str:
    """A date and time as WeasyPrint's metadata wants it (W3C's ISO 8601), in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_document(
    template_name: str,
    context: dict,
    *,
    language: str,
    title: str,
    created: datetime,
    modified: datetime | None = None,
    identifier: str = "",
    compress: bool = True,
) -> Document:
    """The template as a tagged PDF/UA document in `language`.

    `created` and `modified` are the document's own dates (when its content came to be and was
    last changed), not the moment of rendering, so the same content gives the same file.
    `identifier` (e.g. "agreement-12-v1") becomes the PDF's file identifier. `compress=False`
    leaves the page streams readable, for debugging."""
    with translation.override(language):
        html = render_to_string(
            template_name,
            {
                **context,
                "document_title": title,
                "document_language": language,
                "document_created": _w3c(created),
                "document_modified": _w3c(modified or created),
            },
        )
        fetcher = LocalOnlyFetcher(allowed_protocols={"file", "data"})
        content = HTML(
            string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher
        ).write_pdf(
            stylesheets=[CSS(filename=str(PRINT_CSS), url_fetcher=fetcher)],
            pdf_variant=PDF_VARIANT,
            pdf_identifier=(identifier or title).encode(),
            uncompressed_pdf=not compress,
        )
    return Document(content=content, title=title, language=language)
