"""Response tasks are completed by their owner or a handler; only the coordinator assigns handlers."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ungcuu.accounts.models import User
from ungcuu.core.errors import Conflict
from ungcuu.incidents import services
from ungcuu.incidents.models import TimelineEvent
from ungcuu.incidents.tests.factories import reported
from ungcuu.organizations.models import Membership
from ungcuu.organizations.tests.factories import member

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
Kind = TimelineEvent.Kind


@pytest.fixture
def incident(manager, org_a):
    return reported(manager, org_a, "Sự cố Alpha: máy chủ bị dò quét")


@pytest.fixture
def task(coordinator, responder, incident):
    return services.add_task(actor=coordinator, incident=incident, title="Cô lập máy chủ", owner=responder)


def _task_events(incident, action):
    return list(incident.timeline.filter(kind=Kind.TASK, data__action=action).values_list("actor", flat=True))


@time_machine.travel(NOW, tick=False)
def test_owner_completes_a_task_and_the_timeline_says_who(responder, incident, task):
    services.complete_task(actor=responder, task=task)

    task.refresh_from_db()
    assert task.done_at == NOW
    assert _task_events(incident, "done") == [responder.pk]


def test_a_handler_completes_a_task_someone_else_owns(coordinator, incident, task):
    services.complete_task(actor=coordinator, task=task)

    task.refresh_from_db()
    assert task.done_at is not None
    assert _task_events(incident, "done") == [coordinator.pk]


def test_a_settled_task_is_not_completed_again_and_keeps_its_time(responder, coordinator, incident, task):
    with time_machine.travel(NOW, tick=False):
        services.complete_task(actor=responder, task=task)
    cancelled = services.add_task(actor=coordinator, incident=incident, title="Đổi mật khẩu")
    services.cancel_task(actor=coordinator, task=cancelled, reason="Không còn cần")

    for settled in (task, cancelled):
        with pytest.raises(Conflict):
            services.complete_task(actor=coordinator, task=settled)

    task.refresh_from_db()
    cancelled.refresh_from_db()
    assert task.done_at == NOW and cancelled.is_cancelled
    assert _task_events(incident, "done") == [responder.pk]


def test_completing_a_settled_task_on_the_page_is_409_and_nothing_changes(
    client_for, responder, incident, task
):
    with time_machine.travel(NOW, tick=False):
        services.complete_task(actor=responder, task=task)
    url = reverse("incidents:complete_task", args=[incident.pk, task.pk])

    response = client_for(responder).post(url)

    assert response.status_code == 409
    assert "This task is already settled." in response.content.decode()
    task.refresh_from_db()
    assert task.done_at == NOW
    assert _task_events(incident, "done") == [responder.pk]


def test_neither_owner_nor_handler_cannot_complete_a_task(viewer, manager, incident, task):
    for person in (viewer, manager):  # manager reported it, but intake is not the unit's to handle
        with pytest.raises(PermissionDenied):
            services.complete_task(actor=person, task=task)

    task.refresh_from_db()
    assert task.done_at is None
    assert _task_events(incident, "done") == []


def test_complete_task_page_hides_the_incident_from_an_outsider_and_refuses_a_viewer(
    client_for, outsider, viewer, responder, incident, task
):
    url = reverse("incidents:complete_task", args=[incident.pk, task.pk])

    assert client_for(outsider).post(url).status_code == 404
    assert client_for(viewer).post(url).status_code == 403
    task.refresh_from_db()
    assert task.done_at is None

    response = client_for(responder).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:detail", args=[incident.pk])
    task.refresh_from_db()
    assert task.done_at is not None


def test_complete_task_page_answers_404_for_a_task_of_another_incident(
    client_for, coordinator, org_b, outsider
):
    other = reported(outsider, org_b, "Sự cố Beta: mã độc")
    foreign = services.add_task(actor=coordinator, incident=other, title="Việc của Beta")
    mine = reported(coordinator, org_b, "Sự cố Beta thứ hai")

    url = reverse("incidents:complete_task", args=[mine.pk, foreign.pk])
    assert client_for(coordinator).post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.done_at is None


def test_coordinator_takes_the_handling(coordinator, incident):
    services.assign_handler(actor=coordinator, incident=incident)

    assert list(incident.handlers.all()) == [coordinator]
    note = incident.timeline.get(kind=Kind.NOTE, data__handler=coordinator.pk)
    assert note.actor == coordinator


def test_coordinator_gives_the_handling_to_a_colleague(coordinator, specialised_unit, incident):
    colleague = member(
        specialised_unit,
        Membership.Role.RESPONDER,
        username="colleague",
        platform_role=User.PlatformRole.COORDINATOR,
    )

    services.assign_handler(actor=coordinator, incident=incident, handler=colleague)

    assert list(incident.handlers.all()) == [colleague]


def test_handling_cannot_go_to_someone_outside_the_specialised_unit(coordinator, responder, incident):
    with pytest.raises(ValidationError) as refused:
        services.assign_handler(actor=coordinator, incident=incident, handler=responder)

    assert "handler" in refused.value.message_dict
    assert not incident.handlers.exists()
    assert not incident.timeline.filter(data__has_key="handler").exists()


def test_only_a_coordinator_assigns_handlers(manager, responder, incident):
    with pytest.raises(PermissionDenied):
        services.assign_handler(actor=manager, incident=incident, handler=responder)

    assert not incident.handlers.exists()


def test_a_task_due_in_the_past_is_refused_next_to_the_due_field(coordinator, incident, client_for):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError) as caught:
            services.add_task(
                actor=coordinator,
                incident=incident,
                title="Vá lỗi",
                due_at=NOW - datetime.timedelta(days=365),
            )
        assert "due_at" in caught.value.message_dict
        response = client_for(coordinator, language="vi").post(
            reverse("incidents:add_task", args=[incident.pk]),
            {"title": "Vá lỗi", "due_at": "2025-03-02T09:00"},
        )
    assert response.status_code == 400
    assert "Ngày này đã qua" in response.content.decode()  # the reason, in the page's Vietnamese
    assert not incident.tasks.exists()
