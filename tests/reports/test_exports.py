"""The XLSX export and the JSON API carry the same tables as the page."""

import io
import zipfile
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import OrderState
from kokemustori.reports.models import NetworkAdministrator
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory, UserFactory
from tests.factories.fees import helsinki
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db

JUNE = {"kind": "month", "year": "2026", "month": "6"}
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def sheets(content: bytes) -> dict[str, list[list[str]]]:
    """Cell texts of each sheet, read from the workbook's XML; formulas would be <f>."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        shared = [
            "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
            for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", NS)
        ]
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        names = [s.get("name") for s in workbook.iter(f"{{{NS['m']}}}sheet")]
        out = {}
        for i, name in enumerate(names, start=1):
            sheet = book.read(f"xl/worksheets/sheet{i}.xml")
            assert b"<f>" not in sheet
            rows = []
            for row in ElementTree.fromstring(sheet).iter(f"{{{NS['m']}}}row"):
                cells = []
                for cell in row.findall("m:c", NS):
                    value = cell.find("m:v", NS)
                    text = value.text if value is not None else ""
                    cells.append(shared[int(text)] if cell.get("t") == "s" else text)
                rows.append(cells)
            out[name] = rows
    return out


@pytest.fixture
def coordinator(client):
    coordinator = CoordinatorFactory()
    for day in (1, 2, 3):
        order = OrderFactory(
            organisation=coordinator.organisation,
            state=OrderState.DONE,
            starts_at=helsinki(2026, 6, day),
            submitted_at=helsinki(2026, 6, 1),
        )
        Offer.objects.create(
            order=order,
            expert=ExpertFactory(organisation=coordinator.organisation),
            state=OfferState.ACCEPTED,
            expires_at=order.starts_at,
        )
    client.force_login(coordinator.user)
    return coordinator


def test_the_xlsx_has_a_sheet_for_every_table(client, coordinator):
    response = client.get(reverse("reports:export_xlsx"), JUNE)
    assert response.status_code == 200
    assert 'filename="report-2026-06-01-2026-06-30.xlsx"' in response["Content-Disposition"]
    book = sheets(response.content)
    assert list(book) == [
        "By month",
        "By task type",
        "Hours by part",
        "Timings",
        "Offers to experts",
        "Pay",
        "Orderers' ratings",
        "Experts' ratings",
        "Wellbeing",
        "Fair sharing",
    ]
    months = book["By month"]
    assert months[1][:4] == [
        "Month",
        "Assignments done",
        "Experts who took part",
        "Hours of experience work done",
    ]
    # June: 3 done, three experts ("< 5"), 3 × 330 minutes = 16.5 hours; numbers as numbers.
    assert months[2][:4] == ["2026-06", "3", "< 5", "16.5"]
    assert book["Fair sharing"][2] == ["Experts eligible", "< 5"]


def test_the_xlsx_of_a_bad_period_is_a_400(client, coordinator):
    response = client.get(reverse("reports:export_xlsx"), {"kind": "custom", "start": "x"})
    assert response.status_code == 400


def test_the_api_gives_the_same_tables_as_json(client, coordinator):
    response = client.get("/api/v1/reports", JUNE)
    assert response.status_code == 200
    data = response.json()
    assert (data["start"], data["end"], data["small"]) == ("2026-06-01", "2026-06-30", 5)
    months = next(t for t in data["tables"] if t["key"] == "months")
    assert months["rows"] == [["2026-06", 3, "< 5", 16.5, 16.5, 120, 3, 0, 0]]
    # The API answers in the default language, Finnish.
    assert months["total"] == ["Koko ajanjakso", 3, "< 5", 16.5, 16.5, 120, 3, 0, 0]
    keys = [t["key"] for t in data["tables"]]
    assert "fair_sharing" in keys and "pay" in keys


def test_the_api_names_the_field_in_error(client, coordinator):
    response = client.get("/api/v1/reports", {"kind": "custom", "start": "2026-02-01"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"end": ["Anna ajanjakson viimeinen päivä."]}}
    response = client.get("/api/v1/reports", {"month": "13"})
    assert response.status_code == 422
    assert "month" in response.json()["errors"]
    response = client.get("/api/v1/reports", {**JUNE, "organisation": "999999"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["organisation"]


def test_the_api_for_an_orderer_holds_nothing_about_experts(client):
    client.force_login(OrdererFactory().user)
    data = client.get("/api/v1/reports", JUNE).json()
    keys = [t["key"] for t in data["tables"]]
    assert keys == ["months", "task_types", "hours_by_part", "timings", "orderer_ratings"]
    assert "Experts who took part" not in data["tables"][0]["columns"]


def test_the_api_refuses_others(client):
    assert client.get("/api/v1/reports").status_code == 401
    client.force_login(ExpertFactory().user)
    assert client.get("/api/v1/reports").status_code == 403
    client.force_login(NetworkAdministrator.objects.create(user=UserFactory()).user)
    assert client.get("/api/v1/reports").status_code == 200


@pytest.mark.parametrize(
    ("language", "title", "figure"),
    [
        ("fi", "Kokemustorin vuosikooste 2026", "Tehdyt toimeksiannot"),
        ("sv", "Kokemustoris årssammandrag 2026", "Utförda uppdrag"),
        ("en", "Kokemustori yearly summary 2026", "Assignments done"),
    ],
)
def test_the_yearly_summary_is_a_tagged_pdf_in_the_readers_language(
    client, coordinator, language, title, figure
):
    with translation.override(language):
        path = reverse("reports:summary_pdf")
    # The month of the page is ignored: the summary is of the whole year.
    response = client.get(path, {**JUNE, "year": "2026"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="report-2026-{language}.pdf"' in response["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(response.content))
    assert pdf.metadata.title == title
    assert pdf.trailer["/Root"]["/Lang"] == language
    assert "/StructTreeRoot" in pdf.trailer["/Root"]
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert figure in text
    assert "< 5" in text  # three experts took part


def test_the_yearly_summary_of_a_bad_year_is_a_400(client, coordinator):
    assert client.get(reverse("reports:summary_pdf"), {"year": "1900"}).status_code == 400
