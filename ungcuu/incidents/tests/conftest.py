"""A small province for incident tests: owner, operating unit, specialised unit, police, national CERT."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.accounts.tests.helpers import force_login
from ungcuu.incidents import services
from ungcuu.organizations.models import FocalPoint, Kind, Membership, Organization
from ungcuu.systems import services as system_services


def _org(code, name, kind, email):
    org = Organization.objects.create(code=code, name=name, kind=kind, intake_email=email)
    FocalPoint.objects.create(organization=org, full_name=f"Đầu mối {code}", email=email)
    return org


@pytest.fixture
def province(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    owner = _org("UBND", "UBND tỉnh", Kind.PROVINCE_PC, "ubnd@example.vn")
    unit = _org("PHUONG-HL", "UBND phường Hoa Lư", Kind.COMMUNE, "hoalu@example.vn")
    other = _org("SO-TC", "Sở Tài chính", Kind.OPERATOR, "sotc@example.vn")
    specialised = _org("SO-KHCN", "Sở KH&CN", Kind.SPECIALISED_UNIT, "ucsc@example.vn")
    national = _org("VNCERT", "VNCERT/CC", Kind.NATIONAL_COORDINATOR, "ir@vncert.example")
    police = _org("CA-TINH", "Công an tỉnh", Kind.POLICE, "pa05@example.vn")
    steering = _org("BCD", "Ban Chỉ đạo", Kind.PROV_STEERING, "bcd@example.vn")
    coord = User.objects.create_user(
        "coord", password="pw-1234567890", platform_role="coordinator", email="coord@example.vn"
    )
    manager = User.objects.create_user("manager", password="pw-1234567890", email="manager@example.vn")
    responder = User.objects.create_user("responder", password="pw-1234567890", email="resp@example.vn")
    viewer = User.objects.create_user("viewer", password="pw-1234567890")
    outsider = User.objects.create_user("outsider", password="pw-1234567890")
    Membership.objects.create(user=coord, organization=specialised, role="manager")
    Membership.objects.create(user=manager, organization=unit, role="manager")
    Membership.objects.create(user=responder, organization=unit, role="responder")
    Membership.objects.create(user=viewer, organization=unit, role="viewer")
    Membership.objects.create(user=outsider, organization=other, role="manager")
    portal = system_services.register_system(
        actor=coord,
        name="Cổng thông tin phường Hoa Lư",
        owner=owner,
        operator=unit,
        security_level=2,
        domains=["hoalu.example.vn"],
    )
    return locals()


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        force_login(client, user)
        return client

    return make


@pytest.fixture
def reported(province):
    data = services.ReportInput(
        channel="form",
        title="Cổng thông tin bị thay đổi giao diện",
        description="Trang chủ hiển thị nội dung lạ",
        detected_at=timezone.now() - datetime.timedelta(hours=1),
        reporter_name="UBND phường Hoa Lư",
        reporter_email="manager@example.vn",
        organization=province["unit"],
        system=province["portal"],
    )
    return services.submit_report(actor=province["manager"], data=data).incident
