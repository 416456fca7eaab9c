"""core.documents: any template to a tagged PDF/UA document, fetching nothing from outside."""

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from kokemustori.core.documents import STATIC_DIR, LocalOnlyFetcher, render_document

CHART = (
    "data:image/svg+xml,"
    "%3Csvg xmlns='http://www.w3.org/2000/svg' width='40' height='20'%3E"
    "%3Crect width='40' height='20' fill='%230b5394'/%3E%3C/svg%3E"
)


@pytest.fixture
def report_template(settings, tmp_path):
    """A small document of the kind the yearly report will be: a heading, a list, a chart."""
    (tmp_path / "report.html").write_text(
        '{% extends "documents/base.html" %}{% block body %}'
        "<h1>Vuosiraportti 2030</h1>"
        "<ul><li>Tilauksia 12</li><li>Kokemusosaajia 5</li></ul>"
        f'<img src="{CHART}" alt="Pylväskaavio: tilaukset kuukausittain">'
        "<p>Åsa ja Čáhppes</p>{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "report.html"


def _kinds(node, found):
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for kid in node:
            _kinds(kid, found)
    elif hasattr(node, "get"):
        if "/S" in node:
            found.append((str(node["/S"]), str(node.get("/Alt", ""))))
        if "/K" in node:
            _kinds(node["/K"], found)
    return found


def test_a_template_becomes_a_tagged_document_with_alternative_texts(report_template):
    made = datetime(2031, 1, 2, 8, 0, tzinfo=UTC)
    document = render_document(
        report_template, {}, language="sv", title="Årsrapport 2030", created=made
    )
    reader = PdfReader(io.BytesIO(document.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert reader.metadata.title == "Årsrapport 2030"
    assert reader.metadata["/CreationDate"] == "D:20310102080000Z"
    assert reader.metadata["/ModDate"] == "D:20310102080000Z"  # not changed since
    kinds = _kinds(root["/StructTreeRoot"], [])
    assert ("/H1", "") in kinds
    assert ("/L", "") in kinds and [k for k, _ in kinds].count("/LI") == 2
    assert ("/Figure", "Pylväskaavio: tilaukset kuukausittain") in kinds
    assert "Åsa ja Čáhppes" in reader.pages[0].extract_text()
    assert len(document.sha256) == 64
    # The same content and dates give the same bytes.
    again = render_document(
        report_template, {}, language="sv", title="Årsrapport 2030", created=made
    )
    assert again.content == document.content


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        (STATIC_DIR / ".." / "settings.py").as_uri(),
    ],
)
def test_nothing_outside_the_static_files_is_fetched(url):
    with pytest.raises(ValueError):
        LocalOnlyFetcher().fetch(url)


def test_the_print_style_sheet_may_be_fetched():
    response = LocalOnlyFetcher().fetch((STATIC_DIR / "kokemustori" / "print.css").as_uri())
    assert b"@page" in response.read()
