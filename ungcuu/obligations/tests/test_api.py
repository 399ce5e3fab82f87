"""The occurrences API through the tenancy gate; done and waive actions; the definitions list."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ungcuu.obligations.models import Occurrence

Status = Occurrence.Status


def test_list_shows_only_visible_occurrences(api_for, viewer, outsider, scan_a, dossier_b):
    ids = {row["id"] for row in api_for(viewer).get(reverse("occurrence-list")).json()["results"]}
    assert scan_a.pk in ids and dossier_b.pk not in ids
    assert api_for(outsider).get(reverse("occurrence-detail", args=[scan_a.pk])).status_code == 404


def test_list_filters(api_for, coordinator, scan_a, dossier_b):
    url = reverse("occurrence-list")
    rows = api_for(coordinator).get(url, {"code": "LEVEL_DOSSIER"}).json()["results"]
    assert [r["id"] for r in rows] == [dossier_b.pk]
    rows = api_for(coordinator).get(url, {"organization": scan_a.organization_id, "status": "due"}).json()
    assert scan_a.pk in {r["id"] for r in rows["results"]}


def test_manager_marks_done_over_the_api(api_for, manager, scan_a):
    url = reverse("occurrence-done", args=[scan_a.pk])
    response = api_for(manager).post(url, {"link": "https://example.gov.vn/bc"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert response.json()["on_time"] is True
    assert api_for(manager).post(url, {"note": "again"}, format="json").status_code == 409


def test_viewer_and_outsider_cannot_act(api_for, viewer, outsider, scan_a):
    for name in ("occurrence-done", "occurrence-waive"):
        url = reverse(name, args=[scan_a.pk])
        assert api_for(viewer).post(url, {"note": "x", "reason": "x"}, format="json").status_code == 403
        assert api_for(outsider).post(url, {"note": "x", "reason": "x"}, format="json").status_code == 404
    scan_a.refresh_from_db()
    assert scan_a.status == Status.DUE


def test_coordinator_waives_over_the_api(api_for, coordinator, manager, scan_a):
    url = reverse("occurrence-waive", args=[scan_a.pk])
    assert api_for(manager).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api_for(coordinator).post(url, {}, format="json").status_code == 400
    response = api_for(coordinator).post(url, {"reason": "Sáp nhập đơn vị"}, format="json")
    assert response.status_code == 200 and response.json()["waived_reason"] == "Sáp nhập đơn vị"


def test_occurrences_cannot_be_created_or_deleted(api_for, coordinator, scan_a):
    assert api_for(coordinator).post(reverse("occurrence-list"), {}, format="json").status_code == 405
    assert api_for(coordinator).delete(reverse("occurrence-detail", args=[scan_a.pk])).status_code == 405


def test_definitions_list(api_for, viewer):
    rows = api_for(viewer).get(reverse("obligationdefinition-list")).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert "LIVE_FIRE_DRILL" in {r["code"] for r in rows}
    assert api_for(viewer).post(reverse("obligationdefinition-list"), {}, format="json").status_code == 405


def test_anonymous_is_refused(api_for, scan_a):
    assert api_for().get(reverse("occurrence-list")).status_code in (401, 403)


def test_manager_files_the_proof_as_a_file_and_the_unit_downloads_it(
    api_for, manager, viewer, outsider, scan_a
):
    upload = SimpleUploadedFile("bao-cao-ra-quet.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    response = api_for(manager, scopes=["report"]).post(
        reverse("occurrence-done", args=[scan_a.pk]), {"file": upload, "note": "Nessus"}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["evidence_kind"] == "file"
    url = reverse("occurrence-evidence-file", args=[scan_a.pk])
    download = api_for(viewer).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 scan"
    assert api_for(outsider).get(url).status_code == 404


def test_api_refuses_a_file_type_the_page_refuses(api_for, manager, scan_a):
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = api_for(manager).post(
        reverse("occurrence-done", args=[scan_a.pk]), {"file": bad}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()
    scan_a.refresh_from_db()
    assert scan_a.status == Status.DUE


def test_no_file_is_404(api_for, manager, scan_a):
    assert api_for(manager).get(reverse("occurrence-evidence-file", args=[scan_a.pk])).status_code == 404


def test_waiving_needs_the_coordinate_scope(api_for, coordinator, scan_a):
    url = reverse("occurrence-waive", args=[scan_a.pk])
    response = api_for(coordinator, scopes=["read", "report"]).post(url, {"reason": "x"}, format="json")
    assert response.status_code == 403
    scan_a.refresh_from_db()
    assert scan_a.status == Status.DUE
