"""Drills: planning, recording (live-fire fulfils CT18 per system), findings and follow-ups to closure."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ungcuu.core.errors import InvalidTransition
from ungcuu.notifications.models import Notification
from ungcuu.obligations.models import Occurrence
from ungcuu.organizations.models import Kind
from ungcuu.organizations.tests.factories import OrganizationFactory
from ungcuu.preparedness import services
from ungcuu.preparedness.models import Drill, FollowUpAction
from ungcuu.preparedness.tests.conftest import days_ago

pytestmark = pytest.mark.django_db


def plan_drill(actor, organization, **overrides):
    data = {
        "title": "Diễn tập bàn giấy Alpha",
        "kind": "tabletop",
        "scheduled_on": timezone.localdate() + datetime.timedelta(days=20),
        **overrides,
    }
    return services.create_drill(actor=actor, organization=organization, **data)


def test_live_fire_drill_on_a_level_3_system_fulfils_the_yearly_duty(drill_a, system_a, manager):
    occurrence = Occurrence.objects.get(definition__code="LIVE_FIRE_DRILL", system=system_a)
    assert occurrence.status == Occurrence.Status.DONE
    assert occurrence.done_on == drill_a.held_on == days_ago(5)
    assert occurrence.evidence == drill_a and occurrence.evidence_kind == "drill"
    system_a.refresh_from_db()
    assert system_a.last_drill_on == days_ago(5)


def test_tabletop_exercise_fulfils_no_live_fire_duty(manager, org_a, system_a):
    plan_drill(manager, org_a, systems=[system_a], scheduled_on=days_ago(2), held=True)
    assert not Occurrence.objects.filter(definition__code="LIVE_FIRE_DRILL", status="done").exists()
    system_a.refresh_from_db()
    assert system_a.last_drill_on is None


def test_planned_drill_is_recorded_later_and_told_to_participants(
    manager, coordinator, org_a, org_b, system_a, outsider
):
    drill = plan_drill(
        coordinator,
        org_a,
        kind="live_fire",
        systems=[system_a],
        participants=[org_b],
        scheduled_on=timezone.localdate(),
    )
    assert Notification.objects.filter(event="drill_planned", recipient_user=outsider).exists()
    assert not Occurrence.objects.filter(definition__code="LIVE_FIRE_DRILL", status="done").exists()
    services.record_drill(actor=manager, drill=drill, summary="Đạt yêu cầu")
    drill.refresh_from_db()
    assert (drill.status, drill.held_on, drill.summary) == ("held", timezone.localdate(), "Đạt yêu cầu")
    assert Occurrence.objects.get(definition__code="LIVE_FIRE_DRILL", system=system_a).status == "done"
    with pytest.raises(InvalidTransition):
        services.record_drill(actor=manager, drill=drill)


def test_a_drill_on_a_system_the_user_cannot_see_is_refused(manager, org_a, system_b):
    with pytest.raises(ValidationError) as caught:
        plan_drill(manager, org_a, kind="live_fire", systems=[system_b])
    message = caught.value.message_dict["systems"][0]
    assert "not visible" in message and system_b.name not in message
    assert not Drill.objects.exists()


def test_a_unit_names_only_units_it_sees_or_support_bodies(manager, org_a, org_b):
    isp = OrganizationFactory(kind=Kind.ISP, name="Nhà mạng thử nghiệm")
    with pytest.raises(ValidationError) as caught:
        plan_drill(manager, org_a, participants=[org_b])
    assert "participants" in caught.value.message_dict
    assert list(plan_drill(manager, org_a, participants=[isp]).participants.all()) == [isp]


def test_a_live_fire_drill_needs_its_systems(manager, org_a):
    with pytest.raises(ValidationError) as caught:
        plan_drill(manager, org_a, kind="live_fire")
    assert "systems" in caught.value.message_dict


def test_a_drill_cannot_be_recorded_as_held_in_the_future(manager, org_a, system_a):
    with pytest.raises(ValidationError):
        plan_drill(manager, org_a, kind="live_fire", systems=[system_a], held=True)
    drill = plan_drill(manager, org_a)
    with pytest.raises(ValidationError):
        services.record_drill(
            actor=manager, drill=drill, held_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    drill.refresh_from_db()
    assert drill.status == "planned" and not Occurrence.objects.filter(status="done").exists()


def test_only_the_organizers_managers_plan_and_record(responder, viewer, outsider, org_a):
    for person in (responder, viewer, outsider):
        with pytest.raises(PermissionDenied):
            plan_drill(person, org_a)


def test_cancelling_needs_a_reason_and_only_a_planned_drill(manager, org_a, drill_a):
    drill = plan_drill(manager, org_a)
    with pytest.raises(ValidationError):
        services.cancel_drill(actor=manager, drill=drill, reason=" ")
    services.cancel_drill(actor=manager, drill=drill, reason="Trùng lịch họp HĐND")
    drill.refresh_from_db()
    assert drill.status == "cancelled"
    with pytest.raises(InvalidTransition):
        services.cancel_drill(actor=manager, drill=drill_a, reason="x")
    with pytest.raises(InvalidTransition):
        services.update_drill(actor=manager, drill=drill_a, title="Sửa")


def test_findings_become_follow_up_actions_tracked_to_closure(
    manager, coordinator, responder, outsider, org_a, org_b, drill_a
):
    finding = services.add_finding(
        actor=manager,
        drill=drill_a,
        title="Chưa có bản sao lưu ngoại tuyến",
        severity="high",
        follow_ups=[{"description": "Thiết lập sao lưu 3-2-1", "owner": org_a, "due_on": days_ago(1)}],
    )
    other = services.add_follow_up(
        actor=coordinator,
        finding=finding,
        description="Nhà mạng bổ sung lọc DDoS",
        owner=org_b,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert Notification.objects.filter(event="drill_follow_up", recipient_user=outsider).exists()
    assert list(FollowUpAction.objects.open().overdue()) == [finding.actions.get(owner=org_a)]
    # The owner organization's responders close their own action; another unit's they cannot.
    services.close_follow_up(actor=responder, action=finding.actions.get(owner=org_a), note="Đã triển khai")
    with pytest.raises(PermissionDenied):
        services.close_follow_up(actor=responder, action=other)
    services.close_follow_up(actor=outsider, action=other)
    assert not FollowUpAction.objects.open().exists()
    with pytest.raises(InvalidTransition):
        services.close_follow_up(actor=outsider, action=other)


def test_the_action_owner_sees_the_drill(outsider, manager, coordinator, org_b, drill_a):
    assert not Drill.objects.visible_to(outsider).exists()
    finding = services.add_finding(actor=manager, drill=drill_a, title="Thiếu đầu mối nhà mạng")
    with pytest.raises(ValidationError):  # org A's manager does not see org B
        services.add_follow_up(
            actor=manager, finding=finding, description="Cử đầu mối", owner=org_b, due_on=timezone.localdate()
        )
    services.add_follow_up(
        actor=coordinator, finding=finding, description="Cử đầu mối", owner=org_b, due_on=timezone.localdate()
    )
    assert list(Drill.objects.visible_to(outsider)) == [drill_a]


def test_bad_follow_ups_are_refused(manager, org_a, drill_a):
    finding = services.add_finding(actor=manager, drill=drill_a, title="Điểm yếu")
    with pytest.raises(ValidationError) as caught:
        services.add_follow_up(
            actor=manager,
            finding=finding,
            description="",
            owner=org_a,
            due_on=drill_a.held_on - datetime.timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"description", "due_on"}
    assert not FollowUpAction.objects.exists()


def test_findings_wait_for_the_drill_to_be_held(manager, org_a):
    with pytest.raises(InvalidTransition):
        services.add_finding(actor=manager, drill=plan_drill(manager, org_a), title="Sớm quá")


def test_a_finding_with_a_bad_follow_up_is_not_half_saved(manager, org_a, drill_a):
    with pytest.raises(ValidationError):
        services.add_finding(
            actor=manager,
            drill=drill_a,
            title="Điểm yếu",
            follow_ups=[{"description": "x", "owner": org_a, "due_on": None}],
        )
    assert not drill_a.findings.exists()


def test_closing_before_the_drill_or_in_the_future_is_refused(manager, org_a, drill_a):
    finding = services.add_finding(
        actor=manager,
        drill=drill_a,
        title="Điểm yếu",
        follow_ups=[{"description": "x", "owner": org_a, "due_on": timezone.localdate()}],
    )
    action = finding.actions.get()
    for bad in (
        drill_a.held_on - datetime.timedelta(days=1),
        timezone.localdate() + datetime.timedelta(days=1),
    ):
        with pytest.raises(ValidationError):
            services.close_follow_up(actor=manager, action=action, done_on=bad)
    action.refresh_from_db()
    assert action.status == "open"
