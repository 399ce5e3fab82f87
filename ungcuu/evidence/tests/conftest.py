"""Evidence fixtures: files go to a per-test MEDIA_ROOT; the incident comes from the real intake service.

Org A's `responder` reports an incident of org A, so they are its reporter; org A's `viewer` sees it
read-only; the `coordinator` sees and handles it; the `outsider` (org B) does not see it at all.
"""

import datetime

import pytest
from django.utils import timezone

from ungcuu.evidence import services
from ungcuu.evidence.tests.helpers import upload
from ungcuu.incidents.services import ReportInput, submit_report


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def report_incident(actor, organization, **overrides):
    data = {
        "channel": "form",
        "title": "Thay đổi giao diện cổng Alpha",
        "description": "Trang chủ bị thay nội dung",
        "detected_at": timezone.now() - datetime.timedelta(hours=2),
        "reporter_name": "Rồng Ứng Cứu",
        "organization": organization,
        **overrides,
    }
    return submit_report(actor=actor, data=ReportInput(**data)).incident


@pytest.fixture
def incident(responder, org_a):
    return report_incident(responder, org_a)


@pytest.fixture
def evidence(incident, responder):
    return services.add_evidence(
        actor=responder,
        incident=incident,
        uploaded_file=upload("access.log", b"GET /admin 200\n"),
        kind="log",
        classification="internal",
    )
