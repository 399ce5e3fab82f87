"""The registry workbook through the API: the coordinators', as on the pages."""

import io

import openpyxl
import pytest

from ungcuu.onboarding.api import XLSX

pytestmark = pytest.mark.django_db


def test_coordinators_download_the_template_and_the_registry(api_for, coordinator, org_a):
    client = api_for(coordinator, scopes=["read"])
    template = client.get("/api/v1/registry/template/")
    assert template.status_code == 200 and template["Content-Type"] == XLSX
    export = client.get("/api/v1/registry/export/")
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    names = [
        c.value
        for row in openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows()
        for c in row
    ]
    assert org_a.name in names
    sheet = client.get("/api/v1/registry/export/", {"sheet": "organization"})
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("text/csv")
    assert client.get("/api/v1/registry/export/", {"sheet": "nope"}).status_code == 400


def test_members_may_not_download_the_registry(api_for, manager, viewer, outsider):
    for person in (manager, viewer, outsider):
        assert api_for(person).get("/api/v1/registry/export/").status_code == 403
        assert api_for(person).get("/api/v1/registry/template/").status_code == 403
