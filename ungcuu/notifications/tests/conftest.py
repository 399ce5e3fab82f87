"""A small world built with the ORM: one unit with contacts and members, another unit, a coordinator."""

import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.incidents.models import Incident
from ungcuu.organizations.models import FocalPoint, Kind, Membership, Organization

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FAILING = {"default": {"BACKEND": "ungcuu.notifications.tests.conftest.FailingBackend"}}


class FailingBackend(BaseEmailBackend):
    """A mail server that is down: every send raises, as smtplib would."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("421 service not available")


@pytest.fixture(autouse=True)
def _delivery_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = LOCMEM
    settings.SITE_URL = "https://ungcuu.example.gov.vn"


@pytest.fixture
def world(db):
    unit = Organization.objects.create(
        code="SO-YTE", name="Sở Y tế", kind=Kind.OPERATOR, intake_email="ir@soyte.example.gov.vn"
    )
    other = Organization.objects.create(code="SO-TC", name="Sở Tài chính", kind=Kind.OPERATOR)
    FocalPoint.objects.create(
        organization=unit, full_name="Nguyễn Đầu Mối", email="daumoi@soyte.example.gov.vn"
    )
    FocalPoint.objects.create(
        organization=unit, full_name="Người Cũ", email="nguoicu@soyte.example.gov.vn", is_active=False
    )
    FocalPoint.objects.create(organization=unit, full_name="Chỉ Điện Thoại", mobile="0912 000 000")
    responder = User.objects.create_user("responder", email="responder@soyte.example.gov.vn")
    colleague = User.objects.create_user("colleague")  # no e-mail: in-app only
    former = User.objects.create_user("former", email="former@soyte.example.gov.vn", is_active=False)
    outsider = User.objects.create_user("outsider", email="outsider@sotc.example.gov.vn")
    coordinator = User.objects.create_user(
        "coordinator", email="coord@khcn.example.gov.vn", platform_role=User.PlatformRole.COORDINATOR
    )
    for user in (responder, colleague, former):
        Membership.objects.create(user=user, organization=unit, role=Membership.Role.RESPONDER)
    Membership.objects.create(user=outsider, organization=other, role=Membership.Role.MANAGER)
    incident = Incident.objects.create(
        reference="NB-2026-000001",
        title="Thay đổi giao diện cổng",
        description="Trang chủ bị thay nội dung",
        detected_at=timezone.now(),
        operator=unit,
    )
    return locals()
