"""Writing, targeting, publishing; acknowledgement and per-system states; reminders and escalation."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from ungcuu.advisories import services
from ungcuu.advisories.models import (
    Advisory,
    AdvisoryEvent,
    AdvisorySystemState,
    AdvisoryTarget,
    TargetStatus,
)
from ungcuu.core.errors import InvalidTransition
from ungcuu.notifications.models import Notification
from ungcuu.organizations.models import Kind
from ungcuu.organizations.tests.factories import OrganizationFactory

from .conftest import soon

pytestmark = pytest.mark.django_db

State = AdvisorySystemState.State


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English (the source language); the UI default is Vietnamese."""
    with translation.override("en"):
        yield


def inbox(user, event):
    return Notification.objects.filter(recipient_user=user, channel="inapp", event=event)


def test_draft_gets_a_yearly_reference_and_its_products(draft, coordinator, settings):
    year = timezone.localtime().year
    assert draft.reference == f"CB-{year}-0001"
    assert draft.status == Advisory.Status.DRAFT and draft.issued_by == coordinator
    assert [str(p) for p in draft.products.all()] == ["Apache Tomcat <9.0.80"]
    assert draft.cve_ids == ["CVE-2023-44487", "CVE-2023-46589"]
    settings.ADVISORY_REFERENCE_PREFIX = "CBNB"
    second = services.create_advisory(
        actor=coordinator, title="T", summary="S", recommended_actions="A", deadline=soon(), products=[]
    )
    assert second.reference == f"CBNB-{year}-0001"


def test_bad_input_is_refused_and_nothing_is_written(coordinator):
    kwargs = {"actor": coordinator, "title": "T", "summary": "S", "recommended_actions": "A"}
    with pytest.raises(ValidationError) as caught:
        services.create_advisory(**kwargs, deadline=soon(), cve_ids="CVE-23-1")
    assert "cve_ids" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.create_advisory(
            **kwargs, deadline=soon(), products=[{"product": "Tomcat", "versions": "<<9"}]
        )
    assert "Line 1" in caught.value.message_dict["products"][0]
    with pytest.raises(ValidationError) as caught:
        services.create_advisory(**kwargs, deadline=timezone.now() - datetime.timedelta(hours=1))
    assert "deadline" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.create_advisory(**kwargs, deadline=soon(), indicators=["198.51.100.7", "not an indicator"])
    assert "indicators" in caught.value.message_dict
    assert not Advisory.objects.exists()


def test_only_the_coordinator_writes(manager, national):
    for user in (manager, national):
        with pytest.raises(PermissionDenied):
            services.create_advisory(
                actor=user, title="T", summary="S", recommended_actions="A", deadline=soon()
            )


def test_coordinator_edits_the_proposed_targets(draft, coordinator, tomcat_a, org_b):
    hand = OrganizationFactory(code="SO-GAMMA", name="Sở Gamma", kind=Kind.OPERATOR)

    services.set_targets(actor=coordinator, advisory=draft, systems=[tomcat_a], organizations=[hand])

    targets = {t.organization: t for t in draft.targets.all()}
    assert set(targets) == {tomcat_a.operator, hand}
    assert not targets[tomcat_a.operator].added_by_hand and targets[hand].added_by_hand
    assert [(s.system, s.software) for s in targets[tomcat_a.operator].states.all()] == [
        (tomcat_a, "Apache Tomcat 9.0.65")
    ]
    assert [s.system for s in targets[hand].states.all()] == [None]  # organization-wide row

    services.set_targets(actor=coordinator, advisory=draft, organizations=[org_b])  # edited again
    assert [t.organization for t in draft.targets.all()] == [org_b]
    assert draft.events.filter(kind=AdvisoryEvent.Kind.TARGETS_SET).count() == 2


def test_publishing_notifies_the_targets_only(viewer, outsider, advisory, manager, coordinator):
    assert advisory.status == Advisory.Status.PUBLISHED and advisory.published_at
    assert inbox(manager, "advisory_published").count() == 1
    assert inbox(viewer, "advisory_published").count() == 1
    assert not inbox(outsider, "advisory_published").exists()
    with pytest.raises(InvalidTransition):
        services.publish_advisory(actor=coordinator, advisory=advisory)
    with pytest.raises(InvalidTransition):
        services.set_targets(actor=coordinator, advisory=advisory, systems=[])


def test_publishing_needs_targets_and_a_future_deadline(draft, coordinator, tomcat_a):
    with pytest.raises(ValidationError, match="target"):
        services.publish_advisory(actor=coordinator, advisory=draft)
    services.set_targets(actor=coordinator, advisory=draft, systems=[tomcat_a])
    with time_machine.travel(draft.deadline + datetime.timedelta(minutes=1)), pytest.raises(ValidationError):
        services.publish_advisory(actor=coordinator, advisory=draft)
    draft.refresh_from_db()
    assert draft.status == Advisory.Status.DRAFT


def test_red_advisory_mail_carries_no_content(draft, coordinator, tomcat_a, manager):
    services.update_advisory(actor=coordinator, advisory=draft, tlp=Advisory.Tlp.RED)
    services.set_targets(actor=coordinator, advisory=draft, systems=[tomcat_a])
    services.publish_advisory(actor=coordinator, advisory=draft)
    note = inbox(manager, "advisory_published").get()
    assert "Tomcat" not in note.subject and "Tomcat" not in note.body and "TLP:RED" in note.subject


def test_acknowledge_then_remediate_completes_the_target(target_a, state_a, manager, responder, coordinator):
    services.acknowledge_advisory(actor=responder, target=target_a)
    target_a.refresh_from_db()
    assert target_a.status == TargetStatus.ACKNOWLEDGED and target_a.acknowledged_by == responder

    services.update_system_state(actor=manager, state=state_a, status=State.IN_PROGRESS, note="Đang cập nhật")
    target_a.refresh_from_db()
    assert target_a.status == TargetStatus.IN_PROGRESS

    services.update_system_state(actor=manager, state=state_a, status=State.REMEDIATED, note="Đã lên 9.0.81")
    target_a.refresh_from_db()
    state_a.refresh_from_db()
    assert target_a.status == TargetStatus.COMPLETED and target_a.completed_at
    assert state_a.updated_by == manager and state_a.note == "Đã lên 9.0.81"
    assert target_a.acknowledged_by == responder  # the first acknowledgement is the one kept
    assert inbox(coordinator, "advisory_completed").count() == 1
    kinds = list(target_a.events.values_list("kind", flat=True))
    assert kinds == ["acknowledged", "state", "state"]


def test_reporting_a_state_implies_receipt(target_a, state_a, manager):
    services.update_system_state(actor=manager, state=state_a, status=State.IN_PROGRESS)
    target_a.refresh_from_db()
    assert target_a.acknowledged_by == manager and target_a.status == TargetStatus.IN_PROGRESS


def test_not_affected_needs_a_reason(state_a, manager):
    with pytest.raises(ValidationError) as caught:
        services.update_system_state(actor=manager, state=state_a, status=State.NOT_AFFECTED)
    assert "note" in caught.value.message_dict
    state_a.refresh_from_db()
    assert state_a.status == State.NOT_STARTED


def test_viewer_and_outsider_cannot_answer_and_nothing_changes(target_a, state_a, viewer, outsider):
    for user in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            services.acknowledge_advisory(actor=user, target=target_a)
        with pytest.raises(PermissionDenied):
            services.update_system_state(actor=user, state=state_a, status=State.REMEDIATED)
    target_a.refresh_from_db()
    state_a.refresh_from_db()
    assert target_a.acknowledged_at is None and state_a.status == State.NOT_STARTED


def test_the_coordinator_may_record_a_state_but_not_acknowledge(target_a, state_a, coordinator):
    services.update_system_state(actor=coordinator, state=state_a, status=State.REMEDIATED, note="Quét lại")
    target_a.refresh_from_db()
    assert target_a.status == TargetStatus.COMPLETED and target_a.acknowledged_at is None
    with pytest.raises(PermissionDenied):
        services.acknowledge_advisory(actor=coordinator, target=target_a)


def test_draft_and_closed_advisories_take_no_answers(draft, coordinator, tomcat_a, manager):
    services.set_targets(actor=coordinator, advisory=draft, systems=[tomcat_a])
    target = draft.targets.get()
    with pytest.raises(InvalidTransition):
        services.acknowledge_advisory(actor=manager, target=target)
    services.publish_advisory(actor=coordinator, advisory=draft)
    services.close_advisory(actor=coordinator, advisory=draft)
    with pytest.raises(InvalidTransition):
        services.update_system_state(actor=manager, state=target.states.get(), status=State.REMEDIATED)
    with pytest.raises(InvalidTransition):
        services.update_advisory(actor=coordinator, advisory=draft, title="Sửa")


# --- reminders and escalation ------------------------------------------------------------------------


def test_reminder_is_sent_once_before_the_deadline(advisory, manager, target_a):
    before = advisory.deadline - datetime.timedelta(hours=24)
    assert services.remind_advisories(advisory.deadline - datetime.timedelta(days=5)) == 0  # too early
    assert services.remind_advisories(before) == 1
    assert services.remind_advisories(before + datetime.timedelta(hours=1)) == 0
    assert inbox(manager, "advisory_reminder").count() == 1
    target_a.refresh_from_db()
    assert target_a.reminded_at == before
    assert target_a.events.filter(kind=AdvisoryEvent.Kind.REMINDED).count() == 1


def test_completed_targets_are_not_reminded(advisory, state_a, manager):
    services.update_system_state(actor=manager, state=state_a, status=State.REMEDIATED)
    assert services.remind_advisories(advisory.deadline - datetime.timedelta(hours=1)) == 0
    assert services.remind_advisories(advisory.deadline + datetime.timedelta(days=1)) == 0


def test_no_reminder_when_published_inside_the_window(draft, coordinator, tomcat_a, manager):
    services.update_advisory(
        actor=coordinator, advisory=draft, deadline=timezone.now() + datetime.timedelta(hours=12)
    )
    services.set_targets(actor=coordinator, advisory=draft, systems=[tomcat_a])
    services.publish_advisory(actor=coordinator, advisory=draft)
    assert services.remind_advisories(timezone.now() + datetime.timedelta(hours=1)) == 0
    assert not inbox(manager, "advisory_reminder").exists()


def test_overdue_escalates_once_to_the_managers_and_the_coordinator(
    advisory, manager, responder, coordinator, target_a
):
    late = advisory.deadline + datetime.timedelta(hours=2)
    assert services.remind_advisories(late) == 1
    assert services.remind_advisories(late + datetime.timedelta(days=1)) == 0
    assert inbox(manager, "advisory_overdue").count() == 1
    assert inbox(coordinator, "advisory_overdue").count() == 1
    assert not inbox(responder, "advisory_overdue").exists()
    assert AdvisoryTarget.objects.overdue(late).get() == target_a
    target_a.refresh_from_db()
    assert target_a.escalated_at == late


def test_overdue_without_a_manager_goes_to_the_organization(advisory, coordinator, org_a, manager, viewer):
    manager.memberships.all().delete()
    assert services.remind_advisories(advisory.deadline + datetime.timedelta(hours=1)) == 1
    assert inbox(viewer, "advisory_overdue").count() == 1  # members hear of it in-app
    assert inbox(coordinator, "advisory_overdue").count() == 1


def test_closed_advisories_are_neither_reminded_nor_escalated(advisory, coordinator):
    services.close_advisory(actor=coordinator, advisory=advisory, note="Hết hiệu lực")
    assert services.remind_advisories(advisory.deadline - datetime.timedelta(hours=1)) == 0
    assert services.remind_advisories(advisory.deadline + datetime.timedelta(days=2)) == 0


def test_the_scheduler_and_cron_can_run_the_sweep(advisory, manager):
    from io import StringIO

    from django.core.management import call_command
    from django.utils.module_loading import import_string

    with time_machine.travel(advisory.deadline + datetime.timedelta(hours=1)):
        assert import_string("ungcuu.advisories.services.remind_advisories")() == 1  # as SCHEDULE calls it
        out = StringIO()
        call_command("remind_advisories", stdout=out)
    assert out.getvalue().startswith("0 ")
    assert inbox(manager, "advisory_overdue").count() == 1


def test_a_moved_deadline_restarts_reminders_and_is_announced(advisory, coordinator, manager, target_a):
    late = advisory.deadline + datetime.timedelta(hours=1)
    assert services.remind_advisories(late) == 1  # escalated once
    with time_machine.travel(late):
        services.update_advisory(
            actor=coordinator, advisory=advisory, deadline=late + datetime.timedelta(days=3)
        )
    assert inbox(manager, "advisory_deadline").count() == 1
    target_a.refresh_from_db()
    assert target_a.escalated_at is None and target_a.reminded_at is None
    assert services.remind_advisories(late + datetime.timedelta(days=2, hours=12)) == 1  # a new reminder
