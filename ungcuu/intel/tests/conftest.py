"""Intel fixtures: org A's incident with indicators and a log file, and a published advisory with some.

Set up through the services (STYLE): the responder reports and adds indicators, the coordinator writes
the advisory. Org B (the outsider) sees none of it.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ungcuu.advisories import services as advisory_services
from ungcuu.advisories.indicators import add_indicator
from ungcuu.evidence import services as evidence_services
from ungcuu.incidents.tests.factories import reported

VALUES = [
    "203.0.113.66",
    "2001:db8::66",
    "c2.evil.example",
    "http://c2.evil.example/gate.php?id=1",
    "phish@evil.example",
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
]


@pytest.fixture
def incident(responder, org_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    incident = reported(responder, org_a, "Mã độc trên cổng Alpha")
    for value in VALUES:
        add_indicator(actor=responder, value=value, incident=incident)
    evidence_services.add_evidence(
        actor=responder,
        incident=incident,
        uploaded_file=SimpleUploadedFile("access.log", b"GET /gate.php 200\n", content_type="text/plain"),
        kind="log",
        classification="internal",
    )
    return incident


@pytest.fixture
def advisory(coordinator, org_a):
    advisory = advisory_services.create_advisory(
        actor=coordinator,
        title="Chiến dịch lừa đảo nhắm vào cơ quan nhà nước",
        summary="Thư giả mạo chứa liên kết tới trang đánh cắp mật khẩu.",
        recommended_actions="Chặn tên miền và địa chỉ IP trong danh sách.",
        deadline=timezone.now() + datetime.timedelta(days=7),
        cve_ids="CVE-2023-44487",
        products=[{"vendor": "Apache", "product": "Tomcat", "versions": "<9.0.80"}],
        indicators=["198.51.100.23", "login-gov.evil.example"],
    )
    advisory_services.set_targets(actor=coordinator, advisory=advisory, organizations=[org_a])
    return advisory_services.publish_advisory(actor=coordinator, advisory=advisory)
