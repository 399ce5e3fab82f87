"""A small province for incident tests, around the shared personas (conftest.py at the root).

Org A is the operating unit (its `manager`, `responder`, `viewer`), org B the other unit (the `outsider`),
the `coordinator` works at the specialised unit; around them the owner, the national CERT, the police and
the steering committee, each with the intake address and focal point that routing writes to.
"""

import datetime

import pytest
from django.utils import timezone

from ungcuu.incidents import services
from ungcuu.organizations.models import FocalPoint, Kind, Organization
from ungcuu.systems import services as system_services


def _reachable(org, email):
    org.intake_email = email
    org.save(update_fields=["intake_email"])
    FocalPoint.objects.create(organization=org, full_name=f"Đầu mối {org.code}", email=email)
    return org


def _org(code, name, kind, email):
    return _reachable(Organization.objects.create(code=code, name=name, kind=kind), email)


@pytest.fixture
def province(org_a, org_b, specialised_unit, manager, responder, viewer, outsider, coordinator):
    owner = _org("UBND", "UBND tỉnh", Kind.PROVINCE_PC, "ubnd@example.vn")
    unit = _reachable(org_a, "alpha@example.vn")
    other = _reachable(org_b, "beta@example.vn")
    specialised = _reachable(specialised_unit, "ucsc@example.vn")
    national = _org("VNCERT", "VNCERT/CC", Kind.NATIONAL_COORDINATOR, "ir@vncert.example")
    police = _org("CA-TINH", "Công an tỉnh", Kind.POLICE, "pa05@example.vn")
    steering = _org("BCD", "Ban Chỉ đạo", Kind.PROV_STEERING, "bcd@example.vn")
    coord = coordinator
    portal = system_services.register_system(
        actor=coord,
        name="Cổng thông tin Alpha",
        owner=owner,
        operator=unit,
        security_level=2,
        domains=["alpha.example.vn"],
    )
    return locals()


@pytest.fixture
def reported(province):
    data = services.ReportInput(
        channel="form",
        title="Cổng thông tin bị thay đổi giao diện",
        description="Trang chủ hiển thị nội dung lạ",
        detected_at=timezone.now() - datetime.timedelta(hours=1),
        reporter_name="Sở Thử nghiệm Alpha",
        reporter_email=province["manager"].email,
        organization=province["unit"],
        system=province["portal"],
    )
    return services.submit_report(actor=province["manager"], data=data).incident
