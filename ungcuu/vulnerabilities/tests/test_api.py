"""API: scans list/retrieve/import and findings list/retrieve with filters, through the tenancy gate."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ungcuu.vulnerabilities.models import Finding, Scan
from ungcuu.vulnerabilities.tests.helpers import (
    NESSUS_SAMPLE,
    OPENVAS_SAMPLE,
    Untouchable,
    import_report,
    sample,
    upload,
)
from ungcuu.vulnerabilities.tests.test_importers import XXE

pytestmark = pytest.mark.django_db
SCANS, FINDINGS = reverse("scan-list"), reverse("finding-list")


@pytest.fixture
def scan(coordinator, org_a, system_a):
    return import_report(coordinator, org_a, sample(OPENVAS_SAMPLE), name="alpha.xml")


def post_scan(client, org, content, name="report.xml", **fields):
    return client.post(
        SCANS, {"organization": org.pk, "file": upload(name, content), **fields}, format="multipart"
    )


def test_scans_are_listed_for_their_organization_only(api_for, viewer, outsider, scan):
    listed = api_for(viewer).get(SCANS).json()["results"]
    assert [s["id"] for s in listed] == [scan.pk] and listed[0]["organization_name"] == "Sở Thử nghiệm Alpha"
    assert api_for(outsider).get(SCANS).json()["results"] == []
    detail = api_for(viewer).get(reverse("scan-detail", args=[scan.pk])).json()
    assert {h["ip"] for h in detail["hosts"]} == {"203.0.113.10", "198.51.100.20"}
    assert api_for(outsider).get(reverse("scan-detail", args=[scan.pk])).status_code == 404


def test_a_responder_imports_a_scan_through_the_api(api_for, responder, org_a, system_a):
    response = post_scan(
        api_for(responder), org_a, sample(NESSUS_SAMPLE), name="renamed.xml", is_full="false"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tool"] == "nessus" and body["is_full"] is False and body["new_count"] == 3
    assert Finding.objects.filter(system=system_a).count() == 3


def test_viewer_and_outsider_cannot_import_through_the_api(api_for, viewer, outsider, org_a):
    assert post_scan(api_for(viewer), org_a, sample(OPENVAS_SAMPLE)).status_code == 403
    assert post_scan(api_for(outsider), org_a, sample(OPENVAS_SAMPLE)).status_code == 404
    assert not Scan.objects.exists()


def test_hostile_files_are_400_with_the_reason(api_for, manager, org_a):
    response = post_scan(api_for(manager), org_a, XXE)
    assert response.status_code == 400 and "document type declaration" in response.json()["file"][0]
    assert post_scan(api_for(manager), org_a, sample(NESSUS_SAMPLE), tool="nmap").status_code == 400
    assert not Scan.objects.exists()


def test_oversize_is_413_and_an_announced_200_mb_body_is_not_read(api_for, manager, org_a, settings):
    settings.SCAN_MAX_BYTES = 1000
    assert post_scan(api_for(manager), org_a, sample(OPENVAS_SAMPLE)).status_code == 413
    settings.SCAN_MAX_BYTES = 50 * 1024 * 1024
    response = api_for(manager).generic(
        "POST",
        SCANS,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": Untouchable()},
    )
    assert response.status_code == 413 and not Scan.objects.exists()


def test_scans_cannot_be_changed_or_deleted(api_for, coordinator, scan):
    url = reverse("scan-detail", args=[scan.pk])
    assert api_for(coordinator).delete(url).status_code == 405
    assert api_for(coordinator).patch(url, {"is_full": False}, format="json").status_code == 405


def test_findings_are_listed_with_filters(api_for, viewer, outsider, system_a, scan):
    client = api_for(viewer)
    assert client.get(FINDINGS).json()["count"] == 4
    critical = client.get(FINDINGS, {"severity": "critical"}).json()["results"]
    assert [f["cve_ids"] for f in critical] == [["CVE-2025-24813"]] and critical[0][
        "system_name"
    ] == system_a.name
    assert client.get(FINDINGS, {"q": "CVE-2022-42252"}).json()["count"] == 1
    assert client.get(FINDINGS, {"system": system_a.pk, "status": "unresolved"}).json()["count"] == 4
    assert api_for(outsider).get(FINDINGS).json()["count"] == 0
    # A hidden system is refused like a missing one (the filter form's message), not an empty page.
    hidden = api_for(outsider).get(FINDINGS, {"system": system_a.pk})
    missing = api_for(outsider).get(FINDINGS, {"system": system_a.pk + 1000})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()


def test_a_finding_is_read_only_and_hidden_from_the_outsider(api_for, viewer, outsider, coordinator, scan):
    finding = Finding.objects.first()
    url = reverse("finding-detail", args=[finding.pk])
    assert api_for(viewer).get(url).json()["name"] == finding.name
    assert api_for(outsider).get(url).status_code == 404
    assert api_for(coordinator).post(FINDINGS, {}, format="json").status_code == 405
    assert api_for(coordinator).patch(url, {"status": "fixed"}, format="json").status_code == 405


def test_finding_decisions_through_the_api(api_for, responder, manager, coordinator, scan):
    finding = Finding.objects.filter(status="open").first()
    url = lambda tail: reverse(f"finding-{tail}", args=[finding.pk])  # noqa: E731
    refused = api_for(responder).post(
        url("accept-risk"), {"reason": "x", "expires_on": "2099-01-01"}, format="json"
    )
    assert refused.status_code == 403  # accepting a risk is the unit management's decision
    assert api_for(responder).post(url("false-positive"), {"reason": ""}, format="json").status_code == 400
    marked = api_for(responder).post(url("false-positive"), {"reason": "Đã kiểm tra thủ công"}, format="json")
    assert marked.status_code == 200 and marked.json()["status"] == "false_positive"
    reopened = api_for(coordinator).post(url("reopen"), {}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    soon = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    accepted = api_for(manager).post(
        url("accept-risk"), {"reason": "Thay thế quý sau", "expires_on": soon}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "risk_accepted"


def test_finding_owner_must_be_of_the_systems_units(api_for, responder, outsider, scan):
    finding = Finding.objects.first()
    url = reverse("finding-owner", args=[finding.pk])
    assert api_for(responder).post(url, {"user": outsider.pk}, format="json").status_code == 400
    response = api_for(responder).post(url, {"user": responder.pk}, format="json")
    assert response.status_code == 200
    finding.refresh_from_db()
    assert finding.owner_user == responder


def test_finding_decisions_refused_to_viewer_national_outsider_and_narrow_tokens(
    api_for, viewer, national, outsider, coordinator, scan
):
    finding = Finding.objects.filter(status="open").first()
    url = reverse("finding-false-positive", args=[finding.pk])
    body = {"reason": "x"}
    assert api_for(viewer).post(url, body, format="json").status_code == 403
    assert api_for(outsider).post(url, body, format="json").status_code == 404
    if api_for(national).get(reverse("finding-detail", args=[finding.pk])).status_code == 200:
        assert api_for(national).post(url, body, format="json").status_code == 403
    assert api_for(coordinator, scopes=["read", "report"]).post(url, body, format="json").status_code == 403
    finding.refresh_from_db()
    assert finding.status == "open"
