"""The demo scans: built through the parsers and services, every finding status present, an open task."""

import pytest

from ungcuu.demo.generator import build_demo_province
from ungcuu.demo.vulnerabilities import build_demo
from ungcuu.vulnerabilities.models import Finding, FindingEvent, Scan, ScanHost

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_demo_scans_cover_every_status_over_the_last_year():
    build_demo_province(2026)
    summary = build_demo(2026)

    assert summary.startswith("4 vulnerability scans")
    assert set(Scan.objects.values_list("tool", flat=True)) == {"openvas", "nessus"}
    assert set(Finding.objects.values_list("status", flat=True)) == set(Finding.Status.values)
    assert FindingEvent.objects.filter(kind="risk_expired").exists()
    assert ScanHost.objects.filter(system=None, ip="10.20.0.99").exists()
    assert ScanHost.objects.filter(matched_by="manual").exists()
    assert Finding.objects.filter(search_text__contains="cve-2025-24813").exists()  # Tomcat 9.0.65
    assert Finding.objects.exclude(owner_user=None).exists()
