"""Each event is hooked in its service and reaches only organisations that may read its object."""

import datetime

import pytest
from django.utils import timezone

from ungcuu.advisories import services as advisory_services
from ungcuu.coordination import services as coordination_services
from ungcuu.coordination.forms import DEFAULT_ACTIONS
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.incidents import services as incident_services
from ungcuu.obligations.engine import mark_overdue
from ungcuu.obligations.models import ObligationDefinition, Occurrence
from ungcuu.organizations.models import Kind, Membership, Organization
from ungcuu.organizations.tests.factories import member
from ungcuu.systems import services as system_services
from ungcuu.webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db


def test_a_published_advisory_reaches_the_targeted_unit_only(
    subscribe, receiver, coordinator, manager, org_a, outsider, org_b, django_capture_on_commit_callbacks
):
    system = system_services.register_system(
        actor=manager,
        name="Cổng Alpha",
        owner=org_a,
        operator=org_a,
        security_level=3,
        software=[{"vendor": "Apache", "product": "Tomcat", "version": "9.0.65"}],
    )
    subscribe([Event.ADVISORY_PUBLISHED], actor=outsider, organization=org_b)
    subscribe([Event.ADVISORY_PUBLISHED])  # last: the receiver checks with this one's secret
    draft = advisory_services.create_advisory(
        actor=coordinator,
        title="Lỗ hổng Apache Tomcat",
        summary="Từ chối dịch vụ.",
        recommended_actions="Cập nhật lên 9.0.81.",
        deadline=timezone.now() + datetime.timedelta(days=7),
        cve_ids="CVE-2023-44487",
        products=[{"vendor": "Apache", "product": "Tomcat", "versions": "<9.0.80"}],
    )
    advisory_services.set_targets(actor=coordinator, advisory=draft, systems=[system])
    with django_capture_on_commit_callbacks(execute=True):
        advisory_services.publish_advisory(actor=coordinator, advisory=draft)
    delivered = Delivery.objects.get()
    assert delivered.subscription.organization == org_a and delivered.state == Delivery.State.DELIVERED
    data = receiver.accepted[0]["data"]
    assert data["reference"] == draft.reference and data["cve_ids"] == ["CVE-2023-44487"]


def test_an_answered_request_reaches_the_specialised_unit(
    subscribe, report, receiver, coordinator, specialised_unit, django_capture_on_commit_callbacks
):
    isp = Organization.objects.create(code="ISP-GAMMA", name="Nhà mạng Gamma", kind=Kind.ISP)
    isp_responder = member(isp, Membership.Role.RESPONDER, username="isp_responder")
    incident = report()
    request = coordination_services.send_request(
        actor=coordinator,
        incident=incident,
        recipient=isp,
        kind=CoordinationRequest.Kind.ISP_TAKEDOWN,
        required_actions=DEFAULT_ACTIONS[CoordinationRequest.Kind.ISP_TAKEDOWN],
        targets=["203.0.113.10"],
    )
    subscribe([Event.REQUEST_ANSWERED], actor=coordinator, organization=specialised_unit)
    with django_capture_on_commit_callbacks(execute=True):
        coordination_services.answer_request(
            actor=isp_responder, request=request, answer="Đã chặn địa chỉ", outcome="done"
        )
    data = receiver.accepted[0]["data"]
    assert data["reference"] == request.reference and data["answer"] == "Đã chặn địa chỉ"
    assert data["incident"] == incident.reference and data["recipient"]["code"] == "ISP-GAMMA"


def test_an_overdue_obligation_is_sent_once(subscribe, receiver, org_a, django_capture_on_commit_callbacks):
    definition = ObligationDefinition.objects.create(code="TEST-REPORT", title_vi="Báo cáo định kỳ")
    today = datetime.date(2026, 12, 4)
    occurrence = Occurrence.objects.create(
        definition=definition,
        organization=org_a,
        period_start=datetime.date(2026, 11, 1),
        due_on=today - datetime.timedelta(days=1),
    )
    subscribe([Event.OBLIGATION_OVERDUE])
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_overdue(today) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_overdue(today) == 0  # already overdue: no second event
    assert [p["data"]["obligation"] for p in receiver.accepted] == ["TEST-REPORT"]
    assert receiver.accepted[0]["data"]["due_on"] == "2026-12-03"
    assert Delivery.objects.get().object_id == occurrence.pk


def test_a_status_change_is_sent_as_changed(
    subscribe, report, receiver, coordinator, django_capture_on_commit_callbacks
):
    incident = report()
    subscribe([Event.INCIDENT_CHANGED])
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.acknowledge(actor=coordinator, incident=incident)
    assert [p["event"] for p in receiver.accepted] == ["incident.changed"]
    assert receiver.accepted[0]["data"]["status"] == "acknowledged"


def test_the_fan_out_running_twice_does_not_double_deliveries(subscribe, report, receiver):
    from ungcuu.webhooks import delivery  # noqa: PLC0415

    incident = report()
    subscribe([Event.INCIDENT_REPORTED])
    when = timezone.now()
    first = delivery.fan_out(Event.INCIDENT_REPORTED, [incident.pk], when)
    second = delivery.fan_out(Event.INCIDENT_REPORTED, [incident.pk], when)
    assert len(first) == 1 and second == []
