"""The agreement PDF as an accessible document and as a record.

Each generated PDF is opened with pypdf and checked: a structure tree (headings, tables with
header cells, paragraphs), the reader's language, the title (also shown as the window title),
the agreement's own creation and modification dates, embedded fonts, and the key texts of the
agreement present as text in the order of the page. Then the record: the number, the version,
both acceptance times, and the kept file whose SHA-256 is shown on the page.
"""

import hashlib
import io
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from kokemustori.agreements import services
from kokemustori.agreements.models import KeptCopy
from kokemustori.agreements.pdf import render_pdf
from tests.agreements.test_agreements import (
    LEGAL_FIRST,
    LEGAL_LAST,
    PSEUDONYM,
    compiled_catalogues,  # noqa: F401 (a fixture)
    make_agreement,
)

pytestmark = pytest.mark.django_db

MADE = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)
ORDERER_ACCEPTS = datetime(2030, 1, 11, 9, 30, tzinfo=UTC)  # 11.30 in Helsinki
EXPERT_ACCEPTS = datetime(2030, 1, 12, 14, 45, tzinfo=UTC)  # 16.45 in Helsinki


def bound_agreement(orderer_language="fi", expert_language="fi"):
    with time_machine.travel(MADE, tick=False):
        agreement, order, _, expert = make_agreement()
    order.orderer.user.first_name, order.orderer.user.last_name = "Olli", "Orderer"
    order.orderer.user.language = orderer_language
    order.orderer.user.save()
    expert.user.language = expert_language
    expert.user.save()
    with time_machine.travel(ORDERER_ACCEPTS, tick=False):
        services.accept_as_orderer(order.orderer.user, agreement)
    with time_machine.travel(EXPERT_ACCEPTS, tick=False):
        services.accept_as_expert(expert.user, agreement)
    agreement.refresh_from_db()
    return agreement, order, expert


def structure_types(reader) -> list[str]:
    """The structure types of the tree, depth first (the reading order)."""
    found = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return  # a marked-content id: the leaf of the tree
        if "/S" in node:
            found.append(str(node["/S"]))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def text_of(reader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def fonts_of(reader) -> list[tuple[str, bool]]:
    """(base font, embedded?) for every font the pages use."""
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts.append((str(font["/BaseFont"]), "/FontFile2" in descriptor))
    return fonts


@pytest.mark.parametrize(
    ("language", "title", "texts"),
    [
        (
            "fi",
            "Sopimus kokemusosaajan toimeksiannosta – Sopimus nro {pk}, versio 1",
            [
                "Sopimuksen numero {pk}",
                "Versio 1",
                "Osapuolet",
                "Wellbeing services county of Testland",
                f"{LEGAL_FIRST} {LEGAL_LAST}",
                PSEUDONYM,
                "Palkkio 250,00 €",
                "Vaitiolovelvollisuus",
                "Peruutusehdot",
                "Hyväksyjä Olli Orderer, Perjantai 11. tammikuuta 2030 klo 11.30",
                "Hyväksyjä Äijö Öhman-Åberg, Lauantai 12. tammikuuta 2030 klo 16.45",
            ],
        ),
        (
            "sv",
            "Avtal om ett uppdrag för en erfarenhetskunnig – Avtal nr {pk}, version 1",
            [
                "Version 1",
                "Parter",
                "Wellbeing services county of Testland",
                f"{LEGAL_FIRST} {LEGAL_LAST}",
                PSEUDONYM,
                "Arvode 250,00 €",
                "Tystnadsplikt",
                "Avbokningsvillkor",
                "Godkänt av Olli Orderer, Fredag 11 januari 2030 kl. 11:30",
                "Godkänt av Äijö Öhman-Åberg, Lördag 12 januari 2030 kl. 16:45",
            ],
        ),
        (
            "en",
            "Agreement on an experience expert assignment – Agreement no. {pk}, version 1",
            [
                "Agreement no. {pk}",
                "Version 1",
                "Parties",
                "Wellbeing services county of Testland",
                f"{LEGAL_FIRST} {LEGAL_LAST}",
                PSEUDONYM,
                "Fee €250.00",
                "Confidentiality",
                "Cancellation terms",
                "Accepted by Olli Orderer, Friday Jan. 11, 2030 at 11:30 a.m.",
                "Accepted by Äijö Öhman-Åberg, Saturday Jan. 12, 2030 at 4:45 p.m.",
            ],
        ),
    ],
)
def test_the_pdf_is_tagged_titled_dated_and_reads_in_order(
    compiled_catalogues,  # noqa: F811
    language,
    title,
    texts,
):
    agreement, *_ = bound_agreement()
    reader = PdfReader(io.BytesIO(render_pdf(agreement, language)))
    root = reader.trailer["/Root"]

    assert bool(root["/MarkInfo"]["/Marked"])  # tagged
    types = structure_types(reader)
    assert types.count("/H1") == 1
    assert types.count("/H2") == 9  # the nine sections of the terms
    for needed in ("/Sect", "/Table", "/TR", "/TH", "/TD", "/P"):
        assert needed in types, needed
    assert types.index("/H1") < types.index("/H2")
    assert root["/Lang"] == language
    assert reader.metadata.title == title.format(pk=agreement.pk)
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # PDF/UA-1 claimed
    assert reader.metadata["/CreationDate"] == "D:20300110120000Z"
    assert reader.metadata["/ModDate"] == "D:20300112144500Z"  # the second acceptance

    fonts = fonts_of(reader)
    assert fonts and all(embedded for _, embedded in fonts)
    assert all("DejaVu" in name for name, _ in fonts)

    text = text_of(reader)
    positions = []
    for expected in texts:
        expected = expected.format(pk=agreement.pk)
        assert expected in text, expected
        positions.append(text.index(expected))
    assert positions == sorted(positions)  # in the order of the page


def test_the_fee_and_the_terms_are_text_in_the_pdf(compiled_catalogues):  # noqa: F811
    agreement, *_ = bound_agreement()
    agreement.confidentiality = "Names of patients stay in the room."
    agreement.cancellation_terms = "Cancel 14 days ahead; later the fee is paid in full."
    agreement.save()
    text = text_of(PdfReader(io.BytesIO(render_pdf(agreement, "fi"))))
    assert "Names of patients stay in the room." in text
    assert "Cancel 14 days ahead; later the fee is paid in full." in text
    assert text.index("Names of patients") < text.index("Cancel 14 days ahead")
    assert "250,00 €" in text


def test_the_binding_agreement_is_kept_with_its_checksum_on_the_page(client):
    agreement, order, expert = bound_agreement(orderer_language="sv", expert_language="fi")
    copies = {c.language: c for c in KeptCopy.objects.filter(agreement=agreement)}
    assert sorted(copies) == ["fi", "sv"]  # the language of record and the orderer's
    for copy in copies.values():
        assert copy.version == 1
        assert copy.sha256 == hashlib.sha256(bytes(copy.content)).hexdigest()
        assert len(copy.sha256) == 64

    client.force_login(expert.user)
    page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert copies["fi"].sha256 in page and copies["sv"].sha256 in page

    # The download is the kept file itself: its checksum is the one on the page.
    for language in ("fi", "sv"):
        with_prefix = f"/{language}/agreements/{agreement.pk}/pdf/"
        served = client.get(with_prefix).content
        assert hashlib.sha256(served).hexdigest() == copies[language].sha256
        kept_url = reverse("agreements:kept_copy", args=[agreement.pk, 1, language])
        response = client.get(kept_url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert f"-{agreement.pk}-v1-{language}.pdf" in response["Content-Disposition"]
        assert hashlib.sha256(response.content).hexdigest() == copies[language].sha256
    missing = reverse("agreements:kept_copy", args=[agreement.pk, 2, "fi"])
    assert client.get(missing).status_code == 404


def test_a_pending_agreement_keeps_nothing_yet():
    agreement, order, _, _ = make_agreement()
    services.accept_as_orderer(order.orderer.user, agreement)
    assert not KeptCopy.objects.filter(agreement=agreement).exists()
    assert agreement.version == 1


def test_a_cancelled_agreement_is_served_as_it_stands_and_the_kept_file_stays(client):
    agreement, order, expert = bound_agreement()
    kept = KeptCopy.objects.get(agreement=agreement, language="fi")
    services.cancel(expert.user, agreement, "Sairastuin.")
    client.force_login(expert.user)
    current = client.get(f"/fi/agreements/{agreement.pk}/pdf/").content
    assert current != bytes(kept.content)
    assert "Sairastuin." in text_of(PdfReader(io.BytesIO(current)))
    again = client.get(reverse("agreements:kept_copy", args=[agreement.pk, 1, "fi"])).content
    assert again == bytes(kept.content)
