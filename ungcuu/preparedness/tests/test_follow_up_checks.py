"""Drill follow-up actions fall due: owners are told before and after, once, and the dashboard shows what
is overdue to whoever may see the drill (issue 15)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from ungcuu.core.schedule import SCHEDULE
from ungcuu.notifications.models import Notification
from ungcuu.preparedness import services
from ungcuu.preparedness.followups import check_follow_ups, overdue_for

pytestmark = pytest.mark.django_db

# Relative to the day the test runs: the drill (conftest) was held five days ago, and an action cannot fall
# due before its drill. Every check below is given its date explicitly.
TODAY = timezone.localdate()


@pytest.fixture
def actions(manager, coordinator, org_a, org_b, drill_a):
    finding = services.add_finding(
        actor=manager,
        drill=drill_a,
        title="Chưa có bản sao lưu ngoại tuyến",
        severity="high",
        follow_ups=[
            {
                "description": "Thiết lập sao lưu 3-2-1",
                "owner": org_a,
                "due_on": TODAY + datetime.timedelta(days=2),
            }
        ],
    )
    services.add_follow_up(
        actor=coordinator,
        finding=finding,
        description="Nhà mạng bổ sung lọc DDoS",
        owner=org_b,
        due_on=TODAY + datetime.timedelta(days=30),
    )
    return {"a": finding.actions.get(owner=org_a), "b": finding.actions.get(owner=org_b)}


def sent(event, user):
    return Notification.objects.filter(event=event, recipient_user=user).count()


def test_owner_is_told_once_before_the_due_date(actions, manager, outsider):
    assert check_follow_ups(TODAY).due_soon >= 1
    assert sent("drill_follow_up_due", manager) == 1
    assert sent("drill_follow_up_due", outsider) == 0  # org B's action is a month away
    assert check_follow_ups(TODAY).due_soon == 0  # a second run sends nothing
    assert sent("drill_follow_up_due", manager) == 1


def test_overdue_action_is_told_once_to_owner_and_organizer(actions, manager, outsider, org_a, org_b):
    late_day = TODAY + datetime.timedelta(days=3)
    result = check_follow_ups(late_day)
    assert result.overdue >= 1
    assert sent("drill_follow_up_overdue", manager) == 1
    check_follow_ups(late_day + datetime.timedelta(days=1))
    assert sent("drill_follow_up_overdue", manager) == 1


def test_a_closed_action_is_not_chased(actions, manager, responder):
    services.close_follow_up(actor=responder, action=actions["a"], note="Xong")
    check_follow_ups(TODAY + datetime.timedelta(days=10))
    assert sent("drill_follow_up_overdue", manager) == 0


def test_dashboard_shows_overdue_follow_ups_to_who_sees_the_drill(
    actions, client_for, manager, viewer, outsider, coordinator
):
    action = actions["a"]
    type(action).objects.filter(pk=action.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert overdue_for(viewer)["count"] == 1 and overdue_for(coordinator)["count"] == 1
    page = client_for(viewer).get("/").content.decode()
    assert 'id="follow-ups-overdue"' in page and "Thiết lập sao lưu 3-2-1" in page
    # org B owns an action of the same drill, not yet late: it sees the drill but nothing overdue
    assert overdue_for(outsider)["count"] == 0
    assert 'id="follow-ups-overdue"' not in client_for(outsider).get("/").content.decode()


def test_the_check_runs_on_schedule_and_from_the_command(actions, capsys):
    assert any(job.function == "ungcuu.preparedness.followups.check_follow_ups" for job in SCHEDULE)
    call_command("check_follow_ups", "--now", (TODAY + datetime.timedelta(days=5)).isoformat())
    assert "overdue notices" in capsys.readouterr().out
