"""The official documents through the API (issue 16): files with their content type, the pages' gates."""

import pytest

from ungcuu.reports.responses import DOCX, XLSX

pytestmark = pytest.mark.django_db
H1 = {"year": 2026, "span": "H1"}


def test_incident_and_organization_forms_follow_the_gates(api_for, world, org_a, viewer, outsider):
    client = api_for(viewer)
    pdf = client.get(f"/api/v1/incidents/{world.a1.pk}/form03/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert "attachment" in pdf["Content-Disposition"]
    docx = client.get(f"/api/v1/incidents/{world.a1.pk}/form04/", {"download": "docx"})
    assert docx.status_code == 200 and docx["Content-Type"] == DOCX and docx.content[:2] == b"PK"
    xlsx = client.get(f"/api/v1/organizations/{org_a.pk}/form01/", {"download": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == XLSX
    assert client.get(f"/api/v1/organizations/{org_a.pk}/form02/").status_code == 200
    # Form 04 waits for the closing report; a format that is not one is 400; hidden is 404.
    assert client.get(f"/api/v1/incidents/{world.a4.pk}/form04/").status_code == 409
    assert client.get(f"/api/v1/incidents/{world.a1.pk}/form03/", {"download": "exe"}).status_code == 400
    assert client.get(f"/api/v1/incidents/{world.a1.pk}/form03/", {"dl": "pdf"}).status_code == 400
    assert client.get(f"/api/v1/incidents/{world.a2.pk}/form03/").status_code == 404  # confidential
    for url in (f"/api/v1/incidents/{world.a1.pk}/form03/", f"/api/v1/organizations/{org_a.pk}/form01/"):
        assert api_for(outsider).get(url).status_code == 404, url


def test_period_documents_take_the_pages_period_and_scope(api_for, world, org_a, org_b, manager, coordinator):
    unit = api_for(manager).get("/api/v1/documents/unit-report/", {**H1, "organization": org_a.pk})
    assert unit.status_code == 200 and unit.content[:4] == b"%PDF"
    form05 = api_for(coordinator).get("/api/v1/documents/form05/", {"year": 2026, "span": "R6"})
    assert form05.status_code == 200
    # Another unit is not among the manager's choices (400, hidden or missing alike); H1 is not form 05's.
    hidden = api_for(manager).get("/api/v1/documents/unit-report/", {**H1, "organization": org_b.pk})
    missing = api_for(manager).get("/api/v1/documents/unit-report/", {**H1, "organization": 987654})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()
    assert api_for(coordinator).get("/api/v1/documents/form05/", H1).status_code == 400
    # The province's documents are province-wide users'.
    assert api_for(manager).get("/api/v1/documents/bulletin/").status_code == 403
    assert api_for(manager).get("/api/v1/documents/province-report/", H1).status_code == 403
    bulletin = api_for(coordinator).get("/api/v1/documents/bulletin/", {"download": "docx"})
    assert bulletin.status_code == 200 and bulletin["Content-Type"] == DOCX
