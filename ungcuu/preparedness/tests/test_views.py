"""Preparedness pages: every endpoint with the outsider (404) and the read-only viewer (403, nothing
changed), and the forms' happy and bad paths."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from ungcuu.obligations.models import Occurrence
from ungcuu.preparedness import services
from ungcuu.preparedness.models import Drill, FollowUpAction, ResponsePlan, Scenario, TrainingCourse
from ungcuu.preparedness.tests.conftest import DOS_STEPS, days_ago

pytestmark = pytest.mark.django_db


def state() -> dict:
    """Every preparedness row, to prove a refused request changed nothing."""
    models = apps.get_app_config("preparedness").get_models()
    return {m._meta.label: list(m.objects.order_by("pk").values_list()) for m in models} | {
        "occurrences": list(Occurrence.objects.order_by("pk").values_list("pk", "status"))
    }


@pytest.fixture
def world(approved_plan_a, drill_a, manager, org_a, scenario_a, ddos_incident):
    finding = services.add_finding(
        actor=manager,
        drill=drill_a,
        title="Chưa giám sát lưu lượng",
        severity="medium",
        follow_ups=[{"description": "Lắp đặt giám sát", "owner": org_a, "due_on": timezone.localdate()}],
    )
    course = services.record_course(
        actor=manager,
        organization=org_a,
        title="Tập huấn Alpha",
        starts_on=days_ago(3),
        ends_on=days_ago(2),
        attendees=[{"full_name": "Trần Văn Alpha"}],
    )
    draft = services.create_plan(actor=manager, organization=org_a, title="Dự thảo Alpha", scope="Phạm vi")
    return {
        "plan": approved_plan_a.pk,
        "draft": draft.pk,
        "version": approved_plan_a.versions.first().pk,
        "scenario": scenario_a.pk,
        "drill": drill_a.pk,
        "finding": finding.pk,
        "followup": finding.actions.get().pk,
        "course": course.pk,
        "incident": ddos_incident.pk,
    }


READ_PAGES = [
    ("index", {}),
    ("readiness", {}),
    ("plan_list", {}),
    ("plan_detail", {"plan": "plan"}),
    ("plan_versions", {"plan": "plan"}),
    ("plan_version", {"plan": "plan", "version": "version"}),
    ("plan_docx", {"plan": "plan"}),
    ("plan_version_docx", {"plan": "plan", "version": "version"}),
    ("scenario_list", {}),
    ("scenario_detail", {"scenario": "scenario"}),
    ("drill_list", {}),
    ("drill_detail", {"drill": "drill"}),
    ("followup_list", {}),
    ("course_list", {}),
    ("course_detail", {"course": "course"}),
]
FORMS = [
    ("plan_create", {}),
    ("plan_edit", {"plan": "draft"}),
    ("scenario_create", {}),
    ("scenario_edit", {"scenario": "scenario"}),
    ("drill_create", {}),
    ("course_create", {}),
    ("course_edit", {"course": "course"}),
]
ACTIONS = [
    ("plan_approve", {"plan": "draft"}),
    ("plan_review", {"plan": "plan"}),
    ("plan_revise", {"plan": "plan"}),
    ("drill_record", {"drill": "drill"}),
    ("drill_cancel", {"drill": "drill"}),
    ("finding_add", {"drill": "drill"}),
    ("followup_add", {"finding": "finding"}),
    ("followup_close", {"followup": "followup"}),
    ("playbook_apply", {"incident": "incident", "scenario": "scenario"}),
]
BODY = {
    "title": "Viết đè",
    "approved_by_name": "Ai đó",
    "decision_number": "1/QĐ",
    "reason": "x",
    "description": "x",
    "owner": "",
    "due_on": "2030-01-01",
    "note": "x",
    "severity": "low",
}


def url(world, name, params):
    return reverse(f"preparedness:{name}", kwargs={k: world[v] for k, v in params.items()})


@pytest.mark.parametrize(("name", "params"), READ_PAGES, ids=[n for n, _p in READ_PAGES])
def test_read_pages_open_for_the_viewer_and_hide_org_a_from_the_outsider(
    name, params, world, client_for, viewer, outsider, coordinator
):
    target = url(world, name, params)
    assert client_for(viewer).get(target).status_code == 200
    assert client_for(coordinator).get(target).status_code == 200
    response = client_for(outsider).get(target)
    if params:
        assert response.status_code == 404
    else:
        assert response.status_code == 200 and b"Alpha" not in response.content
    assert client_for().get(target).status_code == 302


@pytest.mark.parametrize(("name", "params"), FORMS, ids=[n for n, _p in FORMS])
def test_forms_refuse_the_viewer_and_hide_org_a_from_the_outsider(
    name, params, world, client_for, viewer, outsider, manager
):
    target, before = url(world, name, params), state()
    assert client_for(viewer).get(target).status_code == 403
    assert client_for(viewer).post(target, BODY).status_code == 403
    if params:
        assert client_for(outsider).get(target).status_code == 404
        assert client_for(outsider).post(target, BODY).status_code == 404
    else:  # a manager of org B may open the form, but not write for org A
        assert client_for(outsider).get(target).status_code == 200
        assert client_for(outsider).post(target, BODY | {"organization": world_org(world)}).status_code == 400
    assert client_for(manager).get(target).status_code == 200
    assert state() == before


def world_org(world) -> int:
    return ResponsePlan.objects.get(pk=world["plan"]).organization_id


@pytest.mark.parametrize(("name", "params"), ACTIONS, ids=[n for n, _p in ACTIONS])
def test_actions_refuse_the_viewer_and_hide_org_a_from_the_outsider(
    name, params, world, client_for, viewer, outsider
):
    target, before = url(world, name, params), state()
    assert client_for(viewer).get(target).status_code == 405
    assert client_for(viewer).post(target, BODY).status_code == 403
    assert client_for(outsider).post(target, BODY).status_code == 404
    assert state() == before


def test_drafting_a_plan_through_the_form(client_for, manager, org_a, system_a, scenario_a):
    response = client_for(manager).post(
        reverse("preparedness:plan_create"),
        {
            "organization": org_a.pk,
            "title": "Phương án Alpha 2027",
            "systems": [system_a.pk],
            "scenarios": [scenario_a.pk],
            "scope": "Cổng thông tin",
            "budget_estimate": "150.000.000 đ",
            "resources": "thiết bị; Tường lửa dự phòng; 2; tại phòng máy\n"
            "chuyên gia; Chuyên gia phân tích mã độc; 1",
        },
    )
    plan = ResponsePlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.budget_estimate == 150_000_000
    assert plan.resources == [
        {"kind": "equipment", "name": "Tường lửa dự phòng", "quantity": 2, "note": "tại phòng máy"},
        {"kind": "expert", "name": "Chuyên gia phân tích mã độc", "quantity": 1, "note": ""},
    ]


def test_plan_form_reports_bad_resources_and_budget(client_for, manager, org_a):
    response = client_for(manager).post(
        reverse("preparedness:plan_create"),
        {"organization": org_a.pk, "title": "X", "budget_estimate": "một trăm", "resources": "tàu vũ trụ; X"},
    )
    assert response.status_code == 400 and not ResponsePlan.objects.exists()
    assert b"digits only" in response.content and b"Line 1" in response.content


def test_approving_before_drafting_through_the_page_is_400_with_the_message(client_for, manager, plan_a):
    response = client_for(manager).post(
        reverse("preparedness:plan_approve", args=[plan_a.pk]),
        {
            "approved_by_name": "Nguyễn Văn A",
            "decision_number": "1/QĐ",
            "approved_on": (plan_a.drafted_on - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400 and b"cannot be approved before it was drafted" in response.content
    plan_a.refresh_from_db()
    assert plan_a.status == "draft"


def test_approving_through_the_page(client_for, manager, plan_a, system_a):
    response = client_for(manager).post(
        reverse("preparedness:plan_approve", args=[plan_a.pk]),
        {
            "approved_by_name": "Nguyễn Văn A",
            "approved_by_title": "Giám đốc",
            "decision_number": "12/QĐ-SALPHA",
        },
    )
    assert response.status_code == 302
    plan_a.refresh_from_db()
    assert plan_a.status == "approved" and plan_a.approved_on == timezone.localdate()
    again = client_for(manager).post(
        reverse("preparedness:plan_approve", args=[plan_a.pk]),
        {"approved_by_name": "B", "decision_number": "13/QĐ"},
    )
    assert again.status_code == 409


def test_editing_an_approved_plan_is_409(client_for, manager, approved_plan_a):
    response = client_for(manager).get(reverse("preparedness:plan_edit", args=[approved_plan_a.pk]))
    assert response.status_code == 409 and b"start a revision" in response.content


def test_revising_opens_the_new_draft(client_for, manager, approved_plan_a):
    response = client_for(manager).post(reverse("preparedness:plan_revise", args=[approved_plan_a.pk]))
    draft = ResponsePlan.objects.get(replaces=approved_plan_a)
    assert response["Location"] == draft.get_absolute_url()


def test_creating_a_scenario_with_its_steps(client_for, manager, org_a):
    data = {
        "organization": org_a.pk,
        "category": "ATTACK.DEFACEMENT",
        "title": "Kịch bản thay đổi giao diện Alpha",
        "is_active": "on",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-0-order": "2",
        "steps-0-stage": "eradicated",
        "steps-0-owner_role": "IS_OPERATOR",
        "steps-0-title": "Xóa webshell",
        "steps-0-due_offset_hours": "24",
        "steps-1-order": "1",
        "steps-1-stage": "first_actions",
        "steps-1-owner_role": "IS_OPERATOR",
        "steps-1-title": "Tạm dừng trang",
    }
    response = client_for(manager).post(reverse("preparedness:scenario_create"), data)
    scenario = Scenario.objects.get(title="Kịch bản thay đổi giao diện Alpha")
    assert response.status_code == 302
    assert [(s.order, s.title, s.due_offset_hours) for s in scenario.steps.all()] == [
        (1, "Tạm dừng trang", 0),
        (2, "Xóa webshell", 24),
    ]


def test_a_scenario_needs_a_step_and_a_unit_cannot_write_the_library(client_for, manager, coordinator, org_a):
    empty = {
        "organization": org_a.pk,
        "category": "ATTACK.DOS",
        "title": "Trống",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
    }
    response = client_for(manager).post(reverse("preparedness:scenario_create"), empty)
    assert response.status_code == 400 and b"at least one response step" in response.content
    library = empty | {
        "organization": "",
        "steps-0-stage": "first_actions",
        "steps-0-owner_role": "ISP",
        "steps-0-title": "Chặn",
    }
    assert client_for(manager).post(reverse("preparedness:scenario_create"), library).status_code == 400
    assert client_for(coordinator).post(reverse("preparedness:scenario_create"), library).status_code == 302
    assert Scenario.objects.filter(title="Trống", organization__isnull=True).exists()


def test_library_scenario_is_read_by_all_and_edited_by_the_coordinator(
    client_for, library_dos, outsider, manager, coordinator
):
    detail = reverse("preparedness:scenario_detail", args=[library_dos.pk])
    edit = reverse("preparedness:scenario_edit", args=[library_dos.pk])
    assert client_for(outsider).get(detail).status_code == 200
    assert client_for(manager).get(edit).status_code == 403
    assert client_for(coordinator).get(edit).status_code == 200


def test_recording_a_live_fire_drill_through_the_form(client_for, manager, org_a, system_a):
    response = client_for(manager).post(
        reverse("preparedness:drill_create"),
        {
            "organization": org_a.pk,
            "title": "Diễn tập thực chiến chống DDoS",
            "kind": "live_fire",
            "scheduled_on": days_ago(1).isoformat(),
            "systems": [system_a.pk],
            "held": "on",
        },
    )
    drill = Drill.objects.get()
    assert response.status_code == 302 and drill.status == "held"
    assert Occurrence.objects.get(definition__code="LIVE_FIRE_DRILL", system=system_a).status == "done"


def test_a_drill_form_with_a_hidden_system_is_400(client_for, manager, org_a, system_b):
    response = client_for(manager).post(
        reverse("preparedness:drill_create"),
        {
            "organization": org_a.pk,
            "title": "X",
            "kind": "live_fire",
            "scheduled_on": days_ago(1).isoformat(),
            "systems": [system_b.pk],
            "held": "on",
        },
    )
    assert response.status_code == 400 and not Drill.objects.exists()


def test_findings_and_follow_ups_through_the_drill_page(client_for, manager, responder, org_a, drill_a):
    client = client_for(manager)
    response = client.post(
        reverse("preparedness:finding_add", args=[drill_a.pk]),
        {
            "title": "Chưa có kênh liên lạc dự phòng",
            "severity": "high",
            "follow_up": "Lập nhóm liên lạc dự phòng",
        },
    )
    assert response.status_code == 400 and b"Give a due date." in response.content
    client.post(
        reverse("preparedness:finding_add", args=[drill_a.pk]),
        {
            "title": "Chưa có kênh liên lạc dự phòng",
            "severity": "high",
            "follow_up": "Lập nhóm liên lạc dự phòng",
            "owner": org_a.pk,
            "due_on": timezone.localdate().isoformat(),
        },
    )
    action = FollowUpAction.objects.get()
    page = client_for(responder).get(reverse("preparedness:followup_list"))
    assert "Lập nhóm liên lạc dự phòng" in page.content.decode()
    response = client_for(responder).post(
        reverse("preparedness:followup_close", args=[action.pk]), {"note": "Đã lập", "back": "list"}
    )
    assert response["Location"] == reverse("preparedness:followup_list")
    action.refresh_from_db()
    assert action.status == "done"


def test_recording_a_course_through_the_form(client_for, manager, org_a):
    response = client_for(manager).post(
        reverse("preparedness:course_create"),
        {
            "organization": org_a.pk,
            "title": "Tập huấn nhận diện thư lừa đảo",
            "starts_on": days_ago(2).isoformat(),
            "ends_on": days_ago(2).isoformat(),
            "attendees-TOTAL_FORMS": "3",
            "attendees-INITIAL_FORMS": "0",
            "attendees-0-full_name": "Trần Văn An",
            "attendees-1-full_name": "Lê Thị Bình",
            "attendees-1-title": "Văn thư",
        },
    )
    course = TrainingCourse.objects.get()
    assert response.status_code == 302
    assert [(a.organization, a.full_name) for a in course.attendees.order_by("full_name")] == [
        (org_a, "Lê Thị Bình"),
        (org_a, "Trần Văn An"),
    ]


def test_readiness_page_shows_the_units_own_rows_only(client_for, world, manager, outsider, system_b):
    assert (
        "Sở Thử nghiệm Alpha" in client_for(manager).get(reverse("preparedness:readiness")).content.decode()
    )
    page = client_for(outsider).get(reverse("preparedness:readiness")).content.decode()
    assert "Alpha" not in page and "Beta" in page


def test_scenario_step_count_and_steps_are_shown(client_for, viewer, scenario_a):
    page = (
        client_for(viewer).get(reverse("preparedness:scenario_detail", args=[scenario_a.pk])).content.decode()
    )
    assert all(step["title"] in page for step in DOS_STEPS)
