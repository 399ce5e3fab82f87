"""Training courses and the readiness picture they feed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ungcuu.obligations.models import Occurrence
from ungcuu.organizations.models import Kind
from ungcuu.organizations.tests.factories import OrganizationFactory
from ungcuu.preparedness import services
from ungcuu.preparedness.models import TrainingCourse
from ungcuu.preparedness.readiness import GAP_DRILL, GAP_PLAN, readiness_rows
from ungcuu.preparedness.tests.conftest import approve, days_ago, draft_plan

pytestmark = pytest.mark.django_db


def record(actor, organization, attendees=None, **overrides):
    people = (
        attendees
        if attendees is not None
        else [
            {"full_name": "Trần Văn An", "title": "Chuyên viên CNTT"},
            {"full_name": "Lê Thị Bình", "title": "Quản trị mạng"},
        ]
    )
    data = {
        "title": "Tập huấn ứng cứu sự cố an toàn thông tin mạng năm 2026",
        "provider": "Đội ƯCSC tỉnh",
        "starts_on": days_ago(12),
        "ends_on": days_ago(10),
        "hours": 16,
        **overrides,
    }
    return services.record_course(actor=actor, organization=organization, attendees=people, **data)


def test_a_course_fulfils_the_training_duty_of_the_organizations_that_attended(
    coordinator, specialised_unit, org_a
):
    course = record(coordinator, specialised_unit, [{"organization": org_a, "full_name": "Trần Văn An"}])
    done = Occurrence.objects.filter(definition__code="TRAINING_DRILL_PROGRAMME", status="done")
    assert set(done.values_list("organization", flat=True)) == {specialised_unit.pk, org_a.pk}
    assert all(o.evidence == course for o in done)


def test_a_course_that_has_not_ended_cannot_be_recorded(manager, org_a):
    with pytest.raises(ValidationError) as caught:
        record(manager, org_a, ends_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "ends_on" in caught.value.message_dict and not TrainingCourse.objects.exists()


def test_a_course_ending_before_it_starts_is_refused(manager, org_a):
    with pytest.raises(ValidationError):
        record(manager, org_a, starts_on=days_ago(3), ends_on=days_ago(5))
    assert not TrainingCourse.objects.exists()


def test_attendees_are_required_and_named(manager, org_a):
    for attendees in ([], [{"full_name": " "}]):
        with pytest.raises(ValidationError) as caught:
            record(manager, org_a, attendees)
        assert "attendees" in caught.value.message_dict


def test_a_unit_cannot_list_people_of_units_it_does_not_see(manager, org_a, org_b):
    with pytest.raises(ValidationError):
        record(manager, org_a, [{"organization": org_b, "full_name": "Người Ngoài"}])


def test_only_managers_record(responder, viewer, outsider, org_a):
    for person in (responder, viewer, outsider):
        with pytest.raises(PermissionDenied):
            record(person, org_a)


def test_editing_credits_organizations_newly_on_the_list(coordinator, specialised_unit, org_a, org_b):
    course = record(coordinator, specialised_unit, [{"full_name": "Cán bộ Sở"}])
    services.update_course(
        actor=coordinator,
        course=course,
        attendees=[{"full_name": "Cán bộ Sở"}, {"organization": org_b, "full_name": "Lê Thị Beta"}],
    )
    assert course.attendees.count() == 2
    done = Occurrence.objects.filter(definition__code="TRAINING_DRILL_PROGRAMME", status="done")
    assert set(done.values_list("organization", flat=True)) == {specialised_unit.pk, org_b.pk}


def test_readiness_counts_people_drills_plans_and_drilled_systems(
    manager, org_a, system_a, drill_a, scenario_a
):
    record(manager, org_a)
    record(manager, org_a, title="Tập huấn lần 2")  # the same two people count once
    record(manager, org_a, [{"full_name": "Người Cũ"}], starts_on=days_ago(500), ends_on=days_ago(499))
    approve(manager, draft_plan(manager, org_a, systems=[system_a], scenarios=[scenario_a]))
    draft_plan(manager, org_a, title="Bản dự thảo")
    [row] = readiness_rows(manager)
    assert row.organization == org_a
    assert (row.trained_people, row.drills, row.live_fire_drills) == (2, 1, 1)
    assert (row.plans_current, row.plans_draft) == (1, 1)
    assert (row.systems, row.systems_with_plan, row.high_level_systems, row.high_level_drilled) == (
        1,
        1,
        1,
        1,
    )
    assert row.is_ready


def test_readiness_shows_gaps_first_and_only_what_the_user_sees(
    coordinator, manager, outsider, org_a, system_a, system_b
):
    OrganizationFactory(kind=Kind.ISP, name="Nhà mạng không có hệ thống")
    rows = readiness_rows(coordinator)
    assert [r.organization for r in rows] == [org_a, system_b.operator]  # org A's level 3 is undrilled
    assert rows[0].gaps[:2] == [GAP_PLAN, GAP_DRILL]
    assert [r.organization for r in readiness_rows(outsider)] == [system_b.operator]


def test_a_manager_editing_keeps_attendees_of_units_hidden_from_them(coordinator, manager, org_a, org_b):
    course = record(
        coordinator, org_a, [{"full_name": "Trần Văn An"}, {"organization": org_b, "full_name": "Lê Beta"}]
    )
    assert [a.full_name for a in services.editable_attendees(manager, course)] == ["Trần Văn An"]
    services.update_course(actor=manager, course=course, attendees=[{"full_name": "Trần Văn Anh"}])
    assert sorted(course.attendees.values_list("full_name", flat=True)) == ["Lê Beta", "Trần Văn Anh"]
