"""Response plans through their services: drafting, approval rules, versions, review, revision."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from ungcuu.core.errors import InvalidTransition
from ungcuu.obligations.models import Occurrence
from ungcuu.preparedness import services
from ungcuu.preparedness.models import (
    PlanVersion,
    PreparednessEvent,
    ResponsePlan,
    one_year_after,
)
from ungcuu.preparedness.tests.conftest import approve, days_ago, draft_plan
from ungcuu.systems import services as system_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the services' messages in English, the language they are written in; the
    Vietnamese translations are checked by scripts/check-translations.py."""
    with translation.override("en"):
        yield


def test_drafting_keeps_a_first_version_with_the_whole_plan(plan_a, system_a, scenario_a):
    version = plan_a.versions.get()
    assert (version.number, version.reason, version.status) == (1, "created", "draft")
    snap = version.snapshot
    assert snap["systems"][0]["name"] == system_a.name
    assert snap["scenarios"][0]["steps"][0]["title"].startswith("Alpha: xác nhận")
    assert PreparednessEvent.objects.filter(kind="plan_created", subject_id=plan_a.pk).exists()


def test_plan_approved_before_it_was_drafted_is_refused_and_nothing_changes(manager, plan_a):
    with pytest.raises(ValidationError) as caught:
        approve(manager, plan_a, approved_on=plan_a.drafted_on - datetime.timedelta(days=1))
    assert "approved_on" in caught.value.message_dict
    assert "before it was drafted" in caught.value.message_dict["approved_on"][0]
    plan_a.refresh_from_db()
    assert plan_a.status == "draft" and plan_a.approved_on is None
    assert plan_a.versions.count() == 1


def test_database_refuses_an_approval_date_before_the_draft_too(plan_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsePlan.objects.filter(pk=plan_a.pk).update(
            approved_on=plan_a.drafted_on - datetime.timedelta(days=3)
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"approved_on": timezone.localdate() + datetime.timedelta(days=1)}, "approved_on"),
        ({"decision_number": " "}, "decision_number"),
        ({"approved_by_name": ""}, "approved_by_name"),
        ({"review_due_on": days_ago(20)}, "review_due_on"),
    ],
)
def test_bad_approvals_are_refused_with_a_field_error(manager, plan_a, overrides, field):
    with pytest.raises(ValidationError) as caught:
        approve(manager, plan_a, **overrides)
    assert field in caught.value.message_dict
    plan_a.refresh_from_db()
    assert plan_a.status == "draft"


def test_a_plan_without_scope_cannot_be_approved(manager, org_a):
    plan = draft_plan(manager, org_a, scope="")
    with pytest.raises(ValidationError, match="scope"):
        approve(manager, plan)


def test_approval_freezes_the_plan_sets_its_review_date_and_the_registry(manager, approved_plan_a, system_a):
    plan = approved_plan_a
    assert plan.status == "approved" and plan.review_due_on == one_year_after(plan.approved_on)
    assert [v.reason for v in plan.versions.order_by("number")] == ["created", "approved"]
    system_a.refresh_from_db()
    assert system_a.last_plan_update_on == plan.approved_on
    with pytest.raises(InvalidTransition):
        services.update_plan(actor=manager, plan=plan, title="Sửa sau phê duyệt")
    with pytest.raises(InvalidTransition):
        approve(manager, plan)


def test_approval_fulfils_the_response_scenario_duty_per_system(approved_plan_a, system_a):
    occurrence = Occurrence.objects.get(definition__code="RESPONSE_SCENARIO", system=system_a)
    assert occurrence.status == Occurrence.Status.DONE
    assert occurrence.done_on == approved_plan_a.approved_on
    assert occurrence.evidence_kind == "plan_version"
    assert occurrence.evidence == approved_plan_a.versions.get(reason="approved")


def test_registry_date_only_moves_forward(manager, org_a, system_a):
    system_a.last_plan_update_on = timezone.localdate()
    system_a.save()
    approve(manager, draft_plan(manager, org_a, systems=[system_a]))
    system_a.refresh_from_db()
    assert system_a.last_plan_update_on == timezone.localdate()


def test_each_edit_of_a_draft_is_a_new_version(manager, plan_a):
    services.update_plan(
        actor=manager, plan=plan_a, title="Phương án Alpha (sửa đổi)", budget_estimate=150_000_000
    )
    services.update_plan(actor=manager, plan=plan_a, scope="Phạm vi mới")
    versions = list(plan_a.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[1].snapshot["budget_estimate"] == 150_000_000
    assert versions[2].snapshot["title"] == "Phương án Alpha (sửa đổi)"


def test_versions_are_append_only(plan_a):
    version = plan_a.versions.get()
    version.note = "rewritten"
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        PlanVersion.objects.filter(pk=version.pk).update(note="x")
    with pytest.raises(PermissionError):
        version.delete()


def test_a_unit_plan_may_not_cover_another_units_system(manager, org_a, system_b):
    with pytest.raises(ValidationError) as caught:
        draft_plan(manager, org_a, systems=[system_b])
    assert "does not exist or is not visible" in caught.value.message_dict["systems"][0]
    assert not ResponsePlan.objects.exists()


def test_another_units_scenario_or_person_is_refused(outsider, org_b, scenario_a, focal_a):
    with pytest.raises(ValidationError) as caught:
        draft_plan(outsider, org_b, scenarios=[scenario_a], people=[focal_a])
    assert set(caught.value.message_dict) >= {"scenarios", "people"}


def test_drafting_date_in_the_future_is_refused(manager, org_a):
    with pytest.raises(ValidationError) as caught:
        draft_plan(manager, org_a, drafted_on=timezone.localdate() + datetime.timedelta(days=2))
    assert "drafted_on" in caught.value.message_dict


def test_bad_resources_are_refused(manager, org_a):
    with pytest.raises(ValidationError) as caught:
        draft_plan(manager, org_a, resources=[{"kind": "spaceship", "name": "x"}])
    assert "resources" in caught.value.message_dict


def test_only_managers_and_the_coordinator_draft(responder, viewer, outsider, coordinator, org_a):
    for person in (responder, viewer, outsider):
        with pytest.raises(PermissionDenied):
            draft_plan(person, org_a)
    assert draft_plan(coordinator, org_a).organization == org_a


def test_yearly_review_moves_the_review_date_and_counts_as_an_update(manager, approved_plan_a, system_a):
    plan = services.review_plan(
        actor=manager, plan=approved_plan_a, reviewed_on=days_ago(1), note="Còn phù hợp"
    )
    assert plan.last_reviewed_on == days_ago(1)
    assert plan.review_due_on == one_year_after(days_ago(1))
    assert plan.versions.order_by("-number").first().reason == "reviewed"
    system_a.refresh_from_db()
    assert system_a.last_plan_update_on == days_ago(1)


def test_review_before_approval_is_refused(manager, approved_plan_a, plan_a):
    with pytest.raises(ValidationError):
        services.review_plan(
            actor=manager,
            plan=approved_plan_a,
            reviewed_on=approved_plan_a.approved_on - datetime.timedelta(days=1),
        )


def test_a_draft_cannot_be_reviewed(manager, plan_a):
    with pytest.raises(InvalidTransition):
        services.review_plan(actor=manager, plan=plan_a)


def test_revision_supersedes_the_plan_in_force_when_approved(manager, approved_plan_a, system_a, scenario_a):
    draft = services.revise_plan(actor=manager, plan=approved_plan_a)
    assert services.revise_plan(actor=manager, plan=approved_plan_a) == draft  # a second click
    assert draft.replaces == approved_plan_a and list(draft.systems.all()) == [system_a]
    approved_plan_a.refresh_from_db()
    assert approved_plan_a.status == "approved"  # still in force while the revision is drafted
    approve(manager, draft, approved_on=timezone.localdate(), decision_number="77/QĐ-SALPHA")
    approved_plan_a.refresh_from_db()
    assert approved_plan_a.status == "superseded"
    assert approved_plan_a.versions.order_by("-number").first().reason == "superseded"


def test_a_plan_listing_no_system_covers_every_system_the_unit_operates(manager, org_a, system_a):
    other = system_services.register_system(
        actor=manager, name="Hệ thống một cửa Alpha", owner=org_a, operator=org_a, security_level=2
    )
    plan = approve(manager, draft_plan(manager, org_a))
    assert set(plan.covered_systems()) == {system_a, other}
    done = Occurrence.objects.filter(definition__code="RESPONSE_SCENARIO", status="done")
    assert set(done.values_list("system", flat=True)) == {system_a.pk, other.pk}
    other.refresh_from_db()
    assert other.last_plan_update_on == plan.approved_on
