"""Preparedness fixtures: org A's plan, scenario and drill made through the services, and an incident.

The personas come from the root conftest: org A's `manager` drafts and approves, its `responder` handles
its incidents, its `viewer` only reads; the `outsider` (org B) sees none of it; the `coordinator` all.
"""

import datetime

import pytest
from django.utils import timezone

from ungcuu.incidents.services import ReportInput, acknowledge, classify, submit_report
from ungcuu.preparedness import services
from ungcuu.preparedness.models import Scenario

DOS_STEPS = [
    {
        "stage": "first_actions",
        "owner_role": "IS_OPERATOR",
        "due_offset_hours": 1,
        "title": "Alpha: xác nhận dấu hiệu tấn công từ chối dịch vụ",
    },
    {
        "stage": "coordinating",
        "owner_role": "ISP",
        "due_offset_hours": 4,
        "title": "Alpha: đề nghị nhà mạng lọc lưu lượng",
    },
    {
        "stage": "restored",
        "owner_role": "IS_OPERATOR",
        "due_offset_hours": 0,
        "title": "Alpha: khôi phục dịch vụ",
    },
]


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def library_dos(db):
    """The seeded library scenario for denial of service (data migration 0002)."""
    return Scenario.objects.get(organization__isnull=True, category="ATTACK.DOS")


@pytest.fixture
def scenario_a(manager, org_a):
    return services.create_scenario(
        actor=manager,
        organization=org_a,
        category="ATTACK.DOS",
        title="Kịch bản Alpha: chống tấn công từ chối dịch vụ",
        steps=DOS_STEPS,
    )


def draft_plan(actor, organization, **overrides):
    data = {
        "title": "Phương án ứng cứu sự cố Cổng thông tin Alpha",
        "scope": "Cổng thông tin điện tử và các dịch vụ công trực tuyến của đơn vị.",
        "drafted_on": days_ago(30),
        **overrides,
    }
    return services.create_plan(actor=actor, organization=organization, **data)


def approve(actor, plan, **overrides):
    data = {
        "approved_by_name": "Nguyễn Văn Giám Đốc",
        "approved_by_title": "Giám đốc Sở",
        "decision_number": "45/QĐ-SALPHA",
        "approved_on": days_ago(10),
        **overrides,
    }
    return services.approve_plan(actor=actor, plan=plan, **data)


@pytest.fixture
def plan_a(manager, org_a, system_a, scenario_a):
    return draft_plan(manager, org_a, systems=[system_a], scenarios=[scenario_a])


@pytest.fixture
def approved_plan_a(manager, plan_a):
    return approve(manager, plan_a)


def report(actor, organization, system=None, **overrides):
    data = {
        "channel": "form",
        "title": "Cổng Alpha phản hồi chậm bất thường",
        "description": "Lưu lượng tăng đột biến từ nhiều địa chỉ IP.",
        "detected_at": timezone.now() - datetime.timedelta(hours=1),
        "reporter_name": "Rồng Ứng Cứu",
        "organization": organization,
        "system": system,
        **overrides,
    }
    return submit_report(actor=actor, data=ReportInput(**data)).incident


@pytest.fixture
def ddos_incident(responder, coordinator, org_a, system_a):
    """Org A's incident, acknowledged and classified as DDoS by the coordinator."""
    incident = report(responder, org_a, system_a)
    acknowledge(actor=coordinator, incident=incident)
    return classify(
        actor=coordinator, incident=incident, category="ATTACK.DOS", harms=[], exceeds_capacity=False
    )


@pytest.fixture
def drill_a(manager, org_a, system_a):
    return services.create_drill(
        actor=manager,
        organization=org_a,
        title="Diễn tập thực chiến Alpha",
        kind="live_fire",
        scheduled_on=days_ago(5),
        systems=[system_a],
        held=True,
        summary="Phát hiện 2 điểm yếu.",
    )
