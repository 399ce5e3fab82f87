"""Issue 6, "done when", without a browser: the coordinator imports an OpenVAS report from the page's form
(the advisories journey starts here), and importing it again or re-scanning behaves as promised."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from ungcuu.accounts.tests.helpers import force_login
from ungcuu.vulnerabilities.models import Finding
from ungcuu.vulnerabilities.tests.helpers import (
    OPENVAS_SAMPLE,
    OPENVAS_SAMPLE_CVES,
    OPENVAS_SAMPLE_HOST,
    Result,
    coordinator_imports_openvas,
    import_report,
    openvas_report,
    sample_upload,
)

pytestmark = pytest.mark.django_db


def test_the_coordinator_imports_an_openvas_report_from_the_page(client_for, coordinator, org_a, system_a):
    client = client_for(coordinator)
    page = client.get(reverse("vulnerabilities:index")).content.decode()
    assert 'id="scan-upload"' in page and 'name="file"' in page and 'name="organization"' in page

    scan = coordinator_imports_openvas(client, org_a)

    assert scan.hosts.get(ip=OPENVAS_SAMPLE_HOST).system == system_a
    cves = {
        cve
        for ids in Finding.objects.filter(system=system_a).values_list("cve_ids", flat=True)
        for cve in ids
    }
    assert cves == set(OPENVAS_SAMPLE_CVES)
    system_page = client.get(reverse("vulnerabilities:system_findings", args=[system_a.pk])).content.decode()
    assert "CVE-2025-24813" in system_page


def test_importing_twice_then_rescanning_closes_what_was_fixed(client_for, coordinator, org_a, system_a):
    with time_machine.travel(datetime.datetime(2026, 3, 20, 3, 0, tzinfo=datetime.UTC)):
        coordinator_imports_openvas(client_for(coordinator), org_a)
        refused = client_for(coordinator).post(
            reverse("vulnerabilities:upload"),
            {"file": sample_upload(OPENVAS_SAMPLE), "organization": org_a.pk, "is_full": "on"},
        )
    assert refused.status_code == 400 and "already imported" in refused.content.decode()
    assert Finding.objects.filter(system=system_a).count() == 4

    # Three months later Tomcat is upgraded; only the TLS finding remains.
    tls = Result("1.3.6.1.4.1.25623.1.0.117274", score="4.3", vector="AV:N/AC:M/Au:N/C:P/I:N/A:N")
    rescan = openvas_report([tls], end=datetime.datetime(2026, 6, 14, 3, 0, tzinfo=datetime.UTC))
    scan = import_report(coordinator, org_a, rescan, name="rescan.xml")
    assert (scan.new_count, scan.fixed_count) == (0, 3)
    assert Finding.objects.filter(system=system_a, status="open").count() == 1


def test_upload_works_with_real_csrf_checks(coordinator, org_a, system_a):
    # A browser sends the CSRF token in the body: the size-limiting upload handler must be installed
    # before csrf_protect reads that body (it once raised "cannot alter upload handlers").
    client = Client(enforce_csrf_checks=True)
    force_login(client, coordinator)
    client.get(reverse("vulnerabilities:index"))
    token = client.cookies["csrftoken"].value
    with OPENVAS_SAMPLE.open("rb") as handle:
        response = client.post(
            reverse("vulnerabilities:upload"),
            {
                "file": handle,
                "organization": org_a.pk,
                "tool": "",
                "is_full": "on",
                "csrfmiddlewaretoken": token,
            },
        )
    assert response.status_code == 302
