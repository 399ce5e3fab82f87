"""Leak 6 (issue 10): text chosen outside the platform never reaches a CSV or XLSX cell as a live formula.

A public report's reporter name `=HYPERLINK(...)` went raw into form 03's workbook, and organization names
went raw into the statistics and compliance exports. Each export is read back: no XLSX cell is a formula
(`data_type != "f"`) and every CSV cell that starts a formula carries an apostrophe.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from ungcuu.core.nd30.model import Fields
from ungcuu.incidents import services as incidents
from ungcuu.incidents.presenters import report_input_from_public
from ungcuu.incidents.services import ReportInput
from ungcuu.obligations import engine
from ungcuu.organizations.models import Organization
from ungcuu.reports import documents
from ungcuu.reports.render.csvfile import render_csv
from ungcuu.reports.render.tables import Table

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://x","y")'


def cells(xlsx: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_inert_xlsx(xlsx: bytes) -> None:
    found = [cell for cell in cells(xlsx) if cell.value == EVIL]
    assert found, "the text is exported, as text"
    assert all(cell.data_type != "f" for cell in cells(xlsx))


def assert_inert_csv(content: bytes) -> None:
    values = [v for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for v in row]
    assert f"'{EVIL}" in values and EVIL not in values


@pytest.fixture
def public_report():
    data = {
        "reporter_name": EVIL,
        "reporter_email": "",
        "reporter_phone": "0912 345 678",
        "system_text": EVIL,
        "description": "Trang web bị thay đổi",
        "detected_at": timezone.now() - datetime.timedelta(hours=1),
    }
    return incidents.submit_report(actor=AnonymousUser(), data=report_input_from_public(data))


def test_public_reporter_name_is_inert_in_form03_exports(
    client_for, coordinator, outsider, viewer, public_report
):
    url = reverse("reports:form03", args=[public_report.incident.pk])
    response = client_for(coordinator).get(url, {"download": "xlsx"})
    assert response.status_code == 200
    assert_inert_xlsx(response.content)
    # Form 03 has no CSV download; the CSV writer is the one the statistics use, checked on the same fields.
    paper = documents.form03_document(public_report.incident).paper
    fields = [
        [label, value] for block in paper.blocks if isinstance(block, Fields) for label, value in block.rows
    ]
    assert_inert_csv(render_csv([Table("Mẫu số 03", ["Trường", "Giá trị"], fields)]))
    for user in (outsider, viewer):
        assert client_for(user).get(url, {"download": "xlsx"}).status_code == 404


def test_organization_name_is_inert_in_statistics_exports(client_for, manager, outsider, org_a, system_a):
    Organization.objects.filter(pk=org_a.pk).update(name=EVIL)
    incidents.submit_report(
        actor=manager,
        data=ReportInput(
            channel="form", title="Tấn công", description="d", reporter_name="A",
            detected_at=timezone.now() - datetime.timedelta(hours=1), organization=org_a, system=system_a,
        ),
    )  # fmt: skip
    query = {"organization": org_a.pk, "year": timezone.localdate().year, "span": "Y"}
    url = reverse("reports:statistics")
    assert_inert_csv(client_for(manager).get(url, {**query, "export": "csv"}).content)
    assert_inert_xlsx(client_for(manager).get(url, {**query, "export": "xlsx"}).content)
    assert (
        b"HYPERLINK" not in client_for(outsider).get(url, {**query, "export": "csv"}).content
    )  # own figures


def test_organization_name_is_inert_in_compliance_exports(client_for, coordinator, viewer, org_a, system_a):
    Organization.objects.filter(pk=org_a.pk).update(name=EVIL)
    today = timezone.localdate()
    engine.generate_occurrences(since=today - datetime.timedelta(days=364), until=today, now=today)
    url = reverse("obligations:compliance")
    assert_inert_csv(client_for(coordinator).get(url, {"export": "csv"}).content)
    assert_inert_xlsx(client_for(coordinator).get(url, {"export": "xlsx"}).content)
    assert_inert_csv(client_for(viewer).get(url, {"export": "csv"}).content)  # their own unit's line
