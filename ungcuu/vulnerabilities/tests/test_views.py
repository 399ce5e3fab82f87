"""Pages: upload with its refusals, the scan page and host assignment, findings lists and exports, and the
finding decisions; every endpoint with the outsider (404) and the read-only viewer (403, nothing changed)."""

import csv
import datetime
import io
from dataclasses import replace

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ungcuu.accounts.tests.helpers import force_login
from ungcuu.vulnerabilities.models import Finding, FindingEvent, Scan, ScanHost
from ungcuu.vulnerabilities.tests.helpers import (
    NESSUS_SAMPLE,
    OPENVAS_SAMPLE,
    Result,
    Untouchable,
    import_report,
    openvas_report,
    sample,
    upload,
)
from ungcuu.vulnerabilities.tests.test_importers import BILLION_LAUGHS, XXE

pytestmark = pytest.mark.django_db
UPLOAD = reverse("vulnerabilities:upload")


@pytest.fixture(autouse=True)
def clock():
    """A week after the OpenVAS sample's scan (14/03/2026): nothing is overdue yet."""
    with time_machine.travel(datetime.datetime(2026, 3, 20, 3, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def scan(coordinator, org_a, system_a):
    return import_report(coordinator, org_a, sample(OPENVAS_SAMPLE), name="alpha.xml")


@pytest.fixture
def finding(scan, system_a):
    return Finding.objects.get(system=system_a, severity="critical")


@pytest.fixture
def unmatched(scan):
    return scan.hosts.get(ip="198.51.100.20")


def state():
    return (
        Scan.objects.count(),
        list(
            Finding.objects.order_by("pk").values_list(
                "status", "owner_user", "status_reason", "risk_expires_on"
            )
        ),
        FindingEvent.objects.count(),
        list(ScanHost.objects.order_by("pk").values_list("system", flat=True)),
    )


def post_upload(client, org, content, name="report.xml", **fields):
    return client.post(
        UPLOAD, {"file": upload(name, content), "organization": org.pk, "is_full": "on", **fields}
    )


# --- overview and upload ----------------------------------------------------------------------------


def test_index_shows_the_upload_form_to_those_who_may_import(client_for, manager, viewer, scan):
    page = client_for(manager).get(reverse("vulnerabilities:index"))
    assert page.status_code == 200
    assert b'id="scan-upload"' in page.content and b'name="file"' in page.content
    assert b'name="organization"' in page.content
    read_only = client_for(viewer).get(reverse("vulnerabilities:index"))
    assert read_only.status_code == 200 and b'id="scan-upload"' not in read_only.content
    assert "Quét định kỳ cổng thông tin Alpha" in read_only.content.decode()


def test_index_hides_other_units_scans_and_counts(client_for, outsider, scan):
    page = client_for(outsider).get(reverse("vulnerabilities:index"))
    assert page.status_code == 200 and b"Alpha" not in page.content


def test_coordinator_sees_open_findings_by_organization(client_for, coordinator, scan):
    page = client_for(coordinator).get(reverse("vulnerabilities:index")).content.decode()
    assert 'id="by-organization"' in page and "Sở Thử nghiệm Alpha" in page


def test_upload_page_is_for_importers_only(client_for, manager, viewer, national, org_a, system_a):
    assert client_for(manager).get(UPLOAD).status_code == 200
    before = state()
    for person in (viewer, national):
        assert client_for(person).get(UPLOAD).status_code == 403
        assert post_upload(client_for(person), org_a, sample(OPENVAS_SAMPLE)).status_code == 403
    assert client_for().get(UPLOAD).status_code == 302
    assert state() == before


def test_upload_imports_and_shows_the_scan(client_for, responder, org_a, system_a):
    client = client_for(responder)
    response = post_upload(client, org_a, sample(OPENVAS_SAMPLE), name="alpha.xml")
    scan = Scan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "vulnerabilities:scan", args=[scan.pk]
    )
    assert scan.uploaded_by == responder and scan.file_name == "alpha.xml" and scan.is_full
    page = client.get(response["Location"]).content.decode()
    assert "2 hosts (1 matched to systems), 4 new findings" in page


def test_a_nessus_file_renamed_to_xml_is_read_as_nessus(client_for, manager, org_a, system_a):
    with time_machine.travel(datetime.datetime(2026, 6, 20, 3, 0, tzinfo=datetime.UTC)):  # after its scan
        post_upload(client_for(manager), org_a, sample(NESSUS_SAMPLE), name="ket-qua-quet.xml")
    assert Scan.objects.get().tool == "nessus"


def test_a_nessus_file_uploaded_as_openvas_is_refused(client_for, manager, org_a):
    response = post_upload(
        client_for(manager), org_a, sample(NESSUS_SAMPLE), name="openvas.xml", tool="openvas"
    )
    assert response.status_code == 400
    assert "but this file is a Nessus (.nessus v2) report" in response.content.decode()
    assert not Scan.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (XXE, "document type declaration or entities"),
        (BILLION_LAUGHS, "document type declaration or entities"),
        (sample(OPENVAS_SAMPLE)[:5000], "not complete, well-formed XML"),
        (
            "<nmaprun>Tiếng Việt</nmaprun>".encode("latin-1", "replace").replace(b"?", b"\xea"),
            "not valid UTF-8",
        ),
        (b"", "The file is empty."),
    ],
    ids=["xxe", "billion-laughs", "truncated", "wrong-encoding", "empty"],
)
def test_hostile_and_broken_uploads_are_refused_with_nothing_imported(
    client_for, manager, org_a, system_a, content, message
):
    before = state()
    response = post_upload(client_for(manager), org_a, content)
    assert response.status_code == 400
    assert message in response.content.decode() and b'id="scan-upload"' in response.content
    assert state() == before


def test_an_upload_over_the_limit_is_413(client_for, manager, org_a, settings):
    settings.SCAN_MAX_BYTES = 1000
    response = post_upload(client_for(manager), org_a, sample(OPENVAS_SAMPLE))
    assert response.status_code == 413 and b"larger than the 1000" in response.content
    assert not Scan.objects.exists()


def test_a_200_mb_upload_is_refused_from_its_length_without_reading_the_body(client_for, manager, settings):
    response = client_for(manager).generic(
        "POST",
        UPLOAD,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": Untouchable()},
    )
    assert response.status_code == 413
    assert not Scan.objects.exists()


def test_outsider_cannot_upload_for_another_unit(client_for, outsider, org_a):
    response = post_upload(client_for(outsider), org_a, sample(OPENVAS_SAMPLE))
    assert response.status_code == 400 and not Scan.objects.exists()


# --- scan page and assignment ---------------------------------------------------------------------


def test_scan_page_lists_matched_and_unmatched_hosts(client_for, manager, viewer, outsider, scan, unmatched):
    url = reverse("vulnerabilities:scan", args=[scan.pk])
    page = client_for(manager).get(url).content.decode()
    assert 'id="unmatched-hosts"' in page and "198.51.100.20" in page
    assert reverse("vulnerabilities:assign_host", args=[unmatched.pk]) in page
    read_only = client_for(viewer).get(url)
    assert read_only.status_code == 200 and b"assign-host" not in read_only.content
    assert client_for(outsider).get(url).status_code == 404


def test_assigning_a_host_from_the_scan_page(client_for, manager, scan, unmatched, system_a):
    url = reverse("vulnerabilities:assign_host", args=[unmatched.pk])
    response = client_for(manager).post(url, {"system": system_a.pk})
    assert response.status_code == 302
    unmatched.refresh_from_db()
    assert unmatched.system == system_a and Finding.objects.filter(system=system_a).count() == 6


def test_viewer_and_outsider_cannot_assign_hosts(client_for, viewer, outsider, unmatched, system_a, system_b):
    before = state()
    url = reverse("vulnerabilities:assign_host", args=[unmatched.pk])
    assert client_for(viewer).post(url, {"system": system_a.pk}).status_code == 403
    assert client_for(outsider).post(url, {"system": system_b.pk}).status_code == 404
    assert client_for(viewer).get(url).status_code == 405
    assert state() == before


def test_assigning_to_a_system_outside_ones_reach_is_a_form_error(client_for, responder, unmatched, system_b):
    response = client_for(responder).post(
        reverse("vulnerabilities:assign_host", args=[unmatched.pk]), {"system": system_b.pk}
    )
    assert response.status_code == 400
    unmatched.refresh_from_db()
    assert unmatched.system is None


# --- findings lists and exports ---------------------------------------------------------------------


def test_findings_lists_show_what_the_user_may_see(client_for, viewer, outsider, org_a, system_a, scan):
    for url in (
        reverse("vulnerabilities:findings"),
        reverse("vulnerabilities:organization_findings", args=[org_a.pk]),
        reverse("vulnerabilities:system_findings", args=[system_a.pk]),
    ):
        page = client_for(viewer).get(url)
        assert page.status_code == 200 and "Apache Tomcat 9.0.0.M1 - 9.0.98" in page.content.decode()
    assert b"Apache Tomcat" not in client_for(outsider).get(reverse("vulnerabilities:findings")).content
    assert (
        client_for(outsider)
        .get(reverse("vulnerabilities:organization_findings", args=[org_a.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(outsider).get(reverse("vulnerabilities:system_findings", args=[system_a.pk])).status_code
        == 404
    )


def test_a_findings_page_first_shows_the_work_still_to_do(client_for, viewer, coordinator, finding):
    finding.status = "fixed"
    finding.save()
    url = reverse("vulnerabilities:findings")
    assert "3 findings" in client_for(viewer).get(url).content.decode()
    assert "3 findings" in client_for(viewer).get(url, {"page": "1"}).content.decode()  # a pager link
    assert "4 findings" in client_for(viewer).get(url, {"status": ""}).content.decode()  # "All"


def test_findings_filters(client_for, viewer, scan):
    def names(query):
        response = client_for(viewer).get(reverse("vulnerabilities:findings"), query, HTTP_HX_REQUEST="true")
        return response.content.decode()

    assert "Request Smuggling" in names({"q": "cve-2022-42252"}) and "Partial PUT" not in names(
        {"q": "CVE-2022-42252"}
    )
    assert "Partial PUT" in names({"severity": "critical"}) and "Request Smuggling" not in names(
        {"severity": "critical"}
    )
    assert "1 finding" in names({"severity": "critical", "status": "unresolved"})
    assert "No finding matches." in names({"overdue": "on"})
    assert "nothing matches them" in names({"severity": "bogus"})


def test_overdue_filter_and_flag(client_for, viewer, finding):
    Finding.objects.filter(pk=finding.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    page = client_for(viewer).get(reverse("vulnerabilities:findings"), {"overdue": "on"}).content.decode()
    assert "1 finding" in page and "badge danger" in page


def test_csv_export_has_the_visible_rows_and_defuses_formulas(
    client_for, viewer, outsider, org_a, coordinator, system_a
):
    evil = openvas_report([Result("9.9.9", name='=HYPERLINK("http://evil.example")')], end=timezone.now())
    import_report(coordinator, org_a, evil)
    response = client_for(viewer).get(reverse("vulnerabilities:export"), {"as": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["ID", "Information system"] and len(rows) == 2
    assert rows[1][5] == '\'=HYPERLINK("http://evil.example")'
    outsider_rows = client_for(outsider).get(reverse("vulnerabilities:export")).content.decode("utf-8-sig")
    assert len(outsider_rows.strip().splitlines()) == 1


def test_xlsx_export_keeps_the_scope_of_the_page(
    client_for, coordinator, org_a, system_a, scan, system_b, outsider
):
    import_report(
        coordinator,
        system_b.operator,
        openvas_report([replace(Result("7.7.7"), ip="192.0.2.5", hostname="")], end=timezone.now()),
    )
    page = (
        client_for(coordinator)
        .get(reverse("vulnerabilities:system_findings", args=[system_a.pk]))
        .content.decode()
    )
    assert f"system={system_a.pk}" in page and "as=xlsx" in page
    response = client_for(coordinator).get(
        reverse("vulnerabilities:export"), {"as": "xlsx", "system": system_a.pk}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 5 and {row[1].value for row in sheet.iter_rows(min_row=2)} == {system_a.name}


# --- a finding and its decisions --------------------------------------------------------------------


def test_finding_page_shows_decisions_by_role(client_for, manager, responder, viewer, outsider, finding):
    url = reverse("vulnerabilities:finding", args=[finding.pk])
    manager_page = client_for(manager).get(url).content.decode()
    assert 'id="accept-risk-form"' in manager_page and 'id="false-positive-form"' in manager_page
    responder_page = client_for(responder).get(url).content.decode()
    assert 'id="accept-risk-form"' not in responder_page and 'id="false-positive-form"' in responder_page
    viewer_page = client_for(viewer).get(url)
    assert (
        viewer_page.status_code == 200
        and b'<form method="post" action="/vulnerabilities/findings' not in viewer_page.content
    )
    assert b"CVE-2025-24813" in viewer_page.content
    assert client_for(outsider).get(url).status_code == 404


def test_manager_accepts_a_risk_until_a_date(client_for, manager, finding):
    until = timezone.localdate() + datetime.timedelta(days=30)
    response = client_for(manager).post(
        reverse("vulnerabilities:accept_risk", args=[finding.pk]),
        {"reason": "Có WAF chặn PUT", "expires_on": until},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.risk_expires_on, finding.status_reason) == (
        "risk_accepted",
        until,
        "Có WAF chặn PUT",
    )
    assert finding.events.first().kind == "risk_accepted"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"reason": "x", "expires_on": "2020-01-01"}, "must end after today"),
        ({"reason": " ", "expires_on": "2099-01-01"}, "This field is required"),
    ],
)
def test_a_bad_risk_acceptance_is_400_and_changes_nothing(client_for, manager, finding, body, message):
    before = state()
    response = client_for(manager).post(reverse("vulnerabilities:accept_risk", args=[finding.pk]), body)
    assert response.status_code == 400 and message in response.content.decode()
    assert state() == before


def test_decisions_are_refused_to_viewer_outsider_and_responder_for_risk(
    client_for, viewer, outsider, responder, finding
):
    before = state()
    body = {"reason": "x", "expires_on": timezone.localdate() + datetime.timedelta(days=5)}
    for name in ("accept_risk", "false_positive", "reopen", "owner"):
        url = reverse(f"vulnerabilities:{name}", args=[finding.pk])
        assert client_for(viewer).post(url, body).status_code == 403, name
        assert client_for(outsider).post(url, body).status_code == 404, name
        assert client_for(viewer).get(url).status_code == 405, name
    assert (
        client_for(responder)
        .post(reverse("vulnerabilities:accept_risk", args=[finding.pk]), body)
        .status_code
        == 403
    )
    assert state() == before


def test_false_positive_then_reopen(client_for, responder, finding):
    client = client_for(responder)
    fp = client.post(
        reverse("vulnerabilities:false_positive", args=[finding.pk]), {"reason": "Đã kiểm tra thủ công"}
    )
    assert fp.status_code == 302
    assert (
        client.post(reverse("vulnerabilities:reopen", args=[finding.pk]), {"reason": ""}).status_code == 302
    )
    finding.refresh_from_db()
    assert finding.status == "open"
    assert list(finding.events.values_list("kind", flat=True)[:2]) == ["reopened_by_hand", "false_positive"]


def test_reopening_an_open_finding_is_409(client_for, responder, finding):
    response = client_for(responder).post(reverse("vulnerabilities:reopen", args=[finding.pk]), {})
    assert response.status_code == 409 and "cannot become" in response.content.decode()


def test_naming_the_responsible_person(client_for, responder, viewer, outsider, finding):
    url = reverse("vulnerabilities:owner", args=[finding.pk])
    assert client_for(responder).post(url, {"user": viewer.pk}).status_code == 302
    finding.refresh_from_db()
    assert finding.owner_user == viewer
    assert client_for(responder).post(url, {"user": outsider.pk}).status_code == 400


def test_the_upload_still_checks_the_csrf_token(manager, org_a, settings):
    """The view is csrf_exempt only so that the size limit is installed first; csrf_protect runs inside."""
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    force_login(client, manager)
    response = post_upload(client, org_a, sample(OPENVAS_SAMPLE))
    assert response.status_code == 403 and not Scan.objects.exists()
