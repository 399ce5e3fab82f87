"""The preparedness API closes the pages' gaps (issue 16): plan edits, reviews, revisions, versions and
.docx; scenario and drill edits, cancelling, findings and follow-ups; training courses."""

import pytest
from django.urls import reverse

from ungcuu.preparedness import services
from ungcuu.preparedness.models import (
    Drill,
    DrillFinding,
    FollowUpAction,
    PlanVersion,
    ResponsePlan,
    Scenario,
    TrainingCourse,
)
from ungcuu.preparedness.render import DOCX_MIME
from ungcuu.preparedness.tests.conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned_drill(manager, org_a, system_a):
    return services.create_drill(
        actor=manager, organization=org_a, title="Diễn tập Alpha", kind="tabletop", scheduled_on=days_ago(-20)
    )


@pytest.fixture
def finding_a(manager, org_a, drill_a):
    return services.add_finding(
        actor=manager,
        drill=drill_a,
        title="Sao lưu chưa kiểm tra",
        follow_ups=[{"description": "Kiểm tra khôi phục", "owner": org_a, "due_on": days_ago(-30)}],
    )


@pytest.fixture
def course_a(manager, org_a):
    return services.record_course(
        actor=manager,
        organization=org_a,
        title="Tập huấn Alpha",
        starts_on=days_ago(3),
        ends_on=days_ago(2),
        attendees=[{"full_name": "Nguyễn Văn Alpha"}],
    )


def test_a_draft_plan_is_edited_and_each_save_is_a_version(api_for, manager, viewer, outsider, plan_a):
    url = reverse("responseplan-detail", args=[plan_a.pk])
    versions = PlanVersion.objects.filter(plan=plan_a).count()

    assert api_for(outsider).patch(url, {"title": "x"}, format="json").status_code == 404
    assert api_for(viewer).patch(url, {"title": "x"}, format="json").status_code == 403
    narrow = api_for(manager, scopes=["read", "report"]).patch(url, {"title": "x"}, format="json")
    assert narrow.status_code == 403
    bad = api_for(manager).patch(url, {"systems": [999999]}, format="json")
    assert bad.status_code == 400
    plan_a.refresh_from_db()
    assert plan_a.title != "x" and PlanVersion.objects.filter(plan=plan_a).count() == versions

    done = api_for(manager).patch(url, {"title": "Phương án Alpha sửa"}, format="json")

    assert done.status_code == 200, done.content
    assert done.json()["title"] == "Phương án Alpha sửa" and done.json()["version"] == versions + 1


def test_the_plan_in_force_is_frozen_reviewed_and_revised(api_for, manager, viewer, approved_plan_a):
    client = api_for(manager)
    detail = reverse("responseplan-detail", args=[approved_plan_a.pk])
    assert client.patch(detail, {"title": "x"}, format="json").status_code == 409
    review = reverse("responseplan-review", args=[approved_plan_a.pk])
    assert api_for(viewer).post(review, {}, format="json").status_code == 403
    future = client.post(review, {"reviewed_on": days_ago(-3).isoformat()}, format="json")
    assert future.status_code == 400 and "reviewed_on" in future.json()
    assert client.post(review, {"note": "Không đổi"}, format="json").status_code == 200

    revise = reverse("responseplan-revise", args=[approved_plan_a.pk])
    first = client.post(revise, HTTP_IDEMPOTENCY_KEY="revise-1")
    replay = client.post(revise, HTTP_IDEMPOTENCY_KEY="revise-1")
    assert first.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert first.json()["status"] == "draft" and first.json()["replaces"] == approved_plan_a.pk
    assert ResponsePlan.objects.filter(replaces=approved_plan_a).count() == 1


def test_versions_and_documents_read_like_the_pages(api_for, viewer, outsider, approved_plan_a):
    client = api_for(viewer)
    listed = client.get(reverse("responseplan-versions", args=[approved_plan_a.pk])).json()
    assert [v["number"] for v in listed] == [2, 1] and listed[0]["reason"] == "approved"
    one = client.get(reverse("responseplan-version", args=[approved_plan_a.pk, listed[1]["id"]]))
    assert one.status_code == 200 and one.json()["snapshot"]["title"] == approved_plan_a.title
    docx = client.get(reverse("responseplan-docx", args=[approved_plan_a.pk]))
    assert docx.status_code == 200 and docx["Content-Type"] == DOCX_MIME
    assert docx.content[:2] == b"PK" and "attachment" in docx["Content-Disposition"]
    old = client.get(reverse("responseplan-version-docx", args=[approved_plan_a.pk, listed[1]["id"]]))
    assert old.status_code == 200 and old["Content-Type"] == DOCX_MIME
    assert client.get(f"/api/v1/response-plans/{approved_plan_a.pk}/versions/x1/").status_code == 404
    assert client.get(f"/api/v1/response-plans/{approved_plan_a.pk}/versions/999999/").status_code == 404
    assert api_for(outsider).get(reverse("responseplan-docx", args=[approved_plan_a.pk])).status_code == 404


def test_a_scenario_is_edited_and_its_steps_replaced(api_for, manager, viewer, scenario_a):
    url = reverse("scenario-detail", args=[scenario_a.pk])
    assert api_for(viewer).patch(url, {"title": "x"}, format="json").status_code == 403
    bad = api_for(manager).patch(url, {"steps": []}, format="json")
    assert bad.status_code == 400 and Scenario.objects.get(pk=scenario_a.pk).steps.count() == 3

    step = {"stage": "first_actions", "owner_role": "IS_OPERATOR", "title": "Alpha: chặn IP"}
    done = api_for(manager).patch(url, {"title": "Kịch bản Alpha 2", "steps": [step]}, format="json")

    assert done.status_code == 200, done.content
    assert done.json()["title"] == "Kịch bản Alpha 2" and len(done.json()["steps"]) == 1


def test_a_planned_drill_is_edited_then_cancelled(api_for, manager, viewer, outsider, planned_drill):
    url = reverse("drill-detail", args=[planned_drill.pk])
    cancel = reverse("drill-cancel", args=[planned_drill.pk])
    assert api_for(outsider).post(cancel, {"reason": "x"}, format="json").status_code == 404
    assert api_for(viewer).post(cancel, {"reason": "x"}, format="json").status_code == 403
    assert api_for(manager).post(cancel, {"reason": ""}, format="json").status_code == 400
    assert Drill.objects.get(pk=planned_drill.pk).status == "planned"

    edited = api_for(manager).patch(url, {"title": "Diễn tập Alpha dời lịch"}, format="json")
    assert edited.status_code == 200 and edited.json()["title"] == "Diễn tập Alpha dời lịch"
    done = api_for(manager).post(cancel, {"reason": "Trùng lịch kiểm tra"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    assert api_for(manager).patch(url, {"title": "x"}, format="json").status_code == 409


def test_findings_and_follow_ups_of_a_held_drill(api_for, manager, viewer, org_a, drill_a, planned_drill):
    findings = reverse("drill-findings", args=[drill_a.pk])
    body = {
        "title": "Không có quy trình khôi phục",
        "severity": "high",
        "follow_ups": [
            {"description": "Viết quy trình", "owner": org_a.pk, "due_on": days_ago(-10).isoformat()}
        ],
    }
    assert api_for(viewer).post(findings, body, format="json").status_code == 403
    bad = api_for(manager).post(findings, {**body, "severity": "extreme"}, format="json")
    assert bad.status_code == 400 and not DrillFinding.objects.exists()
    early = reverse("drill-findings", args=[planned_drill.pk])
    assert api_for(manager).post(early, body, format="json").status_code == 409

    made = api_for(manager).post(findings, body, format="json")

    assert made.status_code == 201, made.content
    finding = DrillFinding.objects.get()
    assert finding.actions.count() == 1
    more = f"/api/v1/drills/{drill_a.pk}/findings/{finding.pk}/follow-ups/"
    added = api_for(manager).post(
        more,
        {"description": "Diễn tập lại", "owner": org_a.pk, "due_on": days_ago(-40).isoformat()},
        format="json",
    )
    assert added.status_code == 201 and finding.actions.count() == 2
    assert (
        api_for(manager).post(f"/api/v1/drills/{drill_a.pk}/findings/abc/follow-ups/", {}).status_code == 404
    )


def test_follow_ups_are_listed_and_closed_by_the_owner(api_for, responder, viewer, outsider, finding_a):
    action = finding_a.actions.get()
    assert [a["id"] for a in api_for(viewer).get(reverse("followup-list")).json()["results"]] == [action.pk]
    assert api_for(outsider).get(reverse("followup-list")).json()["results"] == []
    close = reverse("followup-close", args=[action.pk])
    assert api_for(outsider).post(close, {}, format="json").status_code == 404
    assert api_for(viewer).post(close, {}, format="json").status_code == 403
    assert api_for(responder, scopes=["read"]).post(close, {}, format="json").status_code == 403
    future = api_for(responder).post(close, {"done_on": days_ago(-2).isoformat()}, format="json")
    assert future.status_code == 400
    assert FollowUpAction.objects.get(pk=action.pk).status == "open"

    # The owner unit's responder reports it done with a report-only token.
    done = api_for(responder, scopes=["read", "report"]).post(close, {"note": "Đã xong"}, format="json")

    assert done.status_code == 200 and done.json()["status"] == "done"
    assert api_for(responder).post(close, {}, format="json").status_code == 409


def test_training_courses_are_recorded_and_corrected(api_for, manager, viewer, outsider, org_a, course_a):
    listed = api_for(viewer).get(reverse("trainingcourse-list") + "?q=alpha").json()
    assert [c["id"] for c in listed["results"]] == [course_a.pk]
    assert api_for(outsider).get(reverse("trainingcourse-detail", args=[course_a.pk])).status_code == 404
    body = {
        "organization": org_a.pk,
        "title": "An toàn thông tin cơ bản",
        "starts_on": days_ago(5).isoformat(),
        "ends_on": days_ago(4).isoformat(),
        "attendees": [{"full_name": "Trần Thị Học Viên"}],
    }
    assert api_for(viewer).post(reverse("trainingcourse-list"), body, format="json").status_code == 403
    backwards = {**body, "ends_on": days_ago(6).isoformat()}
    assert api_for(manager).post(reverse("trainingcourse-list"), backwards, format="json").status_code == 400
    assert (
        api_for(manager)
        .post(reverse("trainingcourse-list"), {**body, "attendees": []}, format="json")
        .status_code
        == 400
    )
    assert TrainingCourse.objects.count() == 1

    made = api_for(manager).post(reverse("trainingcourse-list"), body, format="json")

    assert made.status_code == 201, made.content
    assert made.json()["attendees"] == [
        {"organization": org_a.pk, "full_name": "Trần Thị Học Viên", "title": ""}
    ]
    url = reverse("trainingcourse-detail", args=[made.json()["id"]])
    assert api_for(viewer).patch(url, {"hours": 8}, format="json").status_code == 403
    fixed = api_for(manager).patch(
        url, {"hours": 8, "attendees": [{"full_name": "A"}, {"full_name": "B"}]}, format="json"
    )
    assert fixed.status_code == 200 and fixed.json()["hours"] == 8 and len(fixed.json()["attendees"]) == 2
