"""The admin shows scans and findings with their hosts and history, but offers no add, change or delete."""

import pytest
from django.urls import reverse

from ungcuu.organizations.tests.factories import UserFactory
from ungcuu.vulnerabilities.models import Finding
from ungcuu.vulnerabilities.tests.helpers import OPENVAS_SAMPLE, import_report, sample

pytestmark = pytest.mark.django_db


def test_admin_is_read_only(client_for, coordinator, org_a, system_a):
    scan = import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    finding = Finding.objects.first()
    client = client_for(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:vulnerabilities_scan_change", args=[scan.pk]))
    assert page.status_code == 200 and scan.sha256.encode() in page.content
    assert client.get(reverse("admin:vulnerabilities_finding_change", args=[finding.pk])).status_code == 200
    assert client.get(reverse("admin:vulnerabilities_finding_changelist"), {"q": "tomcat"}).status_code == 200
    assert client.get(reverse("admin:vulnerabilities_scan_add")).status_code == 403
    delete = reverse("admin:vulnerabilities_finding_delete", args=[finding.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Finding.objects.filter(pk=finding.pk).exists()
