"""Issue 16 part 5: attaching a scanned host to a system, and the findings export, through the API with the
pages' services and gates (`services.assign_host`, `can_import`; the export's FindingFilterSet and rows)."""

import csv
import io

import pytest
from django.utils import timezone

from ungcuu.audit.models import AuditEvent
from ungcuu.vulnerabilities.models import Finding, ScanHost
from ungcuu.vulnerabilities.tests.helpers import (
    OPENVAS_SAMPLE,
    OPENVAS_SAMPLE_HOST,
    Result,
    import_report,
    openvas_report,
    sample,
)

pytestmark = pytest.mark.django_db
EXPORT = "/api/v1/findings/export/"


@pytest.fixture
def scan(coordinator, org_a, system_a):
    return import_report(coordinator, org_a, sample(OPENVAS_SAMPLE), name="alpha.xml")


@pytest.fixture
def unmatched(scan):
    return scan.hosts.get(ip="198.51.100.20")


def assign_url(scan, host) -> str:
    return f"/api/v1/scans/{scan.pk}/hosts/{host.pk if hasattr(host, 'pk') else host}/assign/"


def rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# --- assign a host ----------------------------------------------------------------------------------


def test_a_responder_attaches_an_unmatched_host(api_for, responder, scan, unmatched, system_a):
    response = api_for(responder).post(assign_url(scan, unmatched), {"system": system_a.pk}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["system"], response.json()["matched_by"]) == (system_a.pk, "manual")
    unmatched.refresh_from_db()
    assert unmatched.system == system_a and unmatched.assigned_by == responder
    assert Finding.objects.filter(system=system_a).count() == 6  # the host's results became findings


def test_bad_bodies_are_400_and_change_nothing(api_for, responder, scan, unmatched, system_a, system_b):
    client = api_for(responder)
    missing = client.post(assign_url(scan, unmatched), {}, format="json")
    assert missing.status_code == 400 and "system" in missing.json()
    elsewhere = client.post(assign_url(scan, unmatched), {"system": system_b.pk}, format="json")
    assert (
        elsewhere.status_code == 400 and "does not exist" in elsewhere.json()["system"][0]
    )  # hidden = missing
    matched = scan.hosts.get(ip=OPENVAS_SAMPLE_HOST)
    again = client.post(assign_url(scan, matched), {"system": system_a.pk}, format="json")
    assert again.status_code == 400  # the service's refusal: already attached
    assert again.json()["system"] == [f"This host is already attached to “{system_a.name}”."]
    unmatched.refresh_from_db()
    assert unmatched.system is None


def test_viewer_403_outsider_404_and_a_host_of_another_scan_404(
    api_for, viewer, outsider, coordinator, org_a, scan, unmatched, system_a
):
    assert (
        api_for(viewer).post(assign_url(scan, unmatched), {"system": system_a.pk}, format="json").status_code
        == 403
    )
    body = {"system": system_a.pk}
    assert api_for(outsider).post(assign_url(scan, unmatched), body, format="json").status_code == 404
    other = import_report(coordinator, org_a, openvas_report([Result("7.7.7")], end=timezone.now()))
    assert api_for(coordinator).post(assign_url(other, unmatched), body, format="json").status_code == 404
    assert api_for(coordinator).post(assign_url(scan, "x1"), body, format="json").status_code == 404
    assert not ScanHost.objects.filter(pk=unmatched.pk, system__isnull=False).exists()


def test_a_token_without_coordinate_is_403(api_for, responder, scan, unmatched, system_a):
    narrow = api_for(responder, scopes=["read", "report"])  # a scanner's token: uploads, no decisions
    response = narrow.post(assign_url(scan, unmatched), {"system": system_a.pk}, format="json")
    assert response.status_code == 403 and "coordinate" in response.json()["detail"]


def test_a_replay_answers_the_first_assignment(api_for, responder, scan, unmatched, system_a):
    client = api_for(responder)
    body = {"system": system_a.pk}
    first = client.post(assign_url(scan, unmatched), body, format="json", HTTP_IDEMPOTENCY_KEY="assign-1")
    again = client.post(assign_url(scan, unmatched), body, format="json", HTTP_IDEMPOTENCY_KEY="assign-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert client.post(assign_url(scan, unmatched), body, format="json").status_code == 400  # attached now


def test_assign_refuses_an_unknown_query_parameter(api_for, responder, scan, unmatched, system_a):
    url = assign_url(scan, unmatched) + "?dry_run=1"
    response = api_for(responder).post(url, {"system": system_a.pk}, format="json")
    assert response.status_code == 400 and "dry_run" in response.json()
    unmatched.refresh_from_db()
    assert unmatched.system is None


# --- the findings export ----------------------------------------------------------------------------


def test_the_export_has_the_pages_rows_filters_and_audit(api_for, viewer, scan, system_a):
    client = api_for(viewer, scopes=["read"])

    response = client.get(EXPORT, {"severity": "critical"})

    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="findings-')
    table = rows(response)
    critical = Finding.objects.filter(system=system_a, severity="critical")
    assert table[0][:2] == ["ID", "Information system"]
    assert [r[0] for r in table[1:]] == [str(f.pk) for f in critical] and critical.exists()
    audited = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD, actor=viewer)
    assert audited.detail == "severity=critical" and audited.view_name == "finding-export"
    every = rows(client.get(EXPORT))
    assert len(every) == 1 + Finding.objects.filter(system=system_a).count()


def test_the_export_as_xlsx(api_for, viewer, scan):
    response = api_for(viewer).get(EXPORT, {"as": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_the_outsider_exports_only_its_own_and_may_not_name_org_a(
    api_for, outsider, scan, org_a, coordinator
):
    import_report(
        coordinator,
        outsider.memberships.get().organization,
        openvas_report([Result("7.7.7")], end=timezone.now()),
    )
    client = api_for(outsider)
    response = client.get(EXPORT)
    assert response.status_code == 200 and "Alpha" not in response.content.decode("utf-8-sig")
    refused = client.get(EXPORT, {"organization": org_a.pk})  # hidden: refused like a missing one
    assert refused.status_code == 400 and "organization" in refused.json()


def test_the_export_refuses_bad_and_unknown_parameters(api_for, viewer, scan):
    client = api_for(viewer)
    assert "severity" in client.get(EXPORT, {"severity": "apocalyptic"}).json()
    assert client.get(EXPORT, {"as": "pdf"}).status_code == 400
    unknown = client.get(EXPORT, {"page": 2})  # a file, not a page
    assert unknown.status_code == 400 and "page" in unknown.json()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_the_export_needs_the_read_scope(api_for, viewer, scan):
    response = api_for(viewer, scopes=["report"]).get(EXPORT)
    assert response.status_code == 403 and "read" in response.json()["detail"]
