"""A drill's follow-up action passes its due date: the hourly check tells the unit, its dashboard shows
the overdue action, and its manager closes it from the drill's page (issue 15), desktop and phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ungcuu.notifications.models import Notification
from ungcuu.preparedness import services
from ungcuu.preparedness.followups import check_follow_ups
from ungcuu.preparedness.models import FollowUpAction

from .conftest import log_in
from .test_incident_journey import _camera

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}])
def test_overdue_follow_up_reaches_the_unit_dashboard_and_is_closed(
    new_context, manager, health_dept, viewport
):
    shot = _camera(f"follow-up-{viewport['width']}")
    today = timezone.localdate()
    drill = services.create_drill(
        actor=manager,
        organization=health_dept,
        title="Diễn tập ứng cứu tấn công mã hóa dữ liệu 2026",
        kind="tabletop",
        scheduled_on=today - datetime.timedelta(days=40),
        held=True,
        summary="Phát hiện thiếu bản sao lưu ngoại tuyến.",
    )
    services.add_finding(
        actor=manager,
        drill=drill,
        title="Chưa có bản sao lưu ngoại tuyến",
        severity="high",
        follow_ups=[
            {
                "description": "Thiết lập sao lưu ngoại tuyến theo nguyên tắc 3-2-1",
                "owner": health_dept,
                "due_on": today - datetime.timedelta(days=2),
            }
        ],
    )
    assert check_follow_ups(today).overdue == 1  # the hourly job, as the scheduler runs it
    assert check_follow_ups(today).overdue == 0  # and once only
    assert Notification.objects.filter(event="drill_follow_up_overdue", recipient_user=manager).exists()

    unit = log_in(new_context(viewport=viewport), manager)
    expect(unit.locator("#tile-follow-ups .num")).to_have_text("1")
    section = unit.locator("#follow-ups-overdue")
    expect(section).to_contain_text("Thiết lập sao lưu ngoại tuyến")
    shot(unit, "01-dashboard")
    unit.locator("#tile-follow-ups").click()
    unit.wait_for_url("**/preparedness/follow-ups/?show=overdue")
    expect(unit.locator("main table tbody tr")).to_have_count(1)
    shot(unit, "02-overdue-list")
    unit.locator("main table").get_by_role("link", name=drill.title).click()
    unit.wait_for_url(f"**/preparedness/drills/{drill.pk}/")
    action = FollowUpAction.objects.get()
    item = unit.locator(f"#follow-up-{action.pk}")
    item.locator("summary").click()
    item.locator("[name=note]").fill("Đã triển khai sao lưu ngoại tuyến hằng tuần.")
    item.locator("button.primary").click()
    expect(unit.locator(f"#follow-up-{action.pk} s")).to_be_visible()
    shot(unit, "03-closed")
    unit.goto("/")
    expect(unit.locator("#tile-follow-ups .num")).to_have_text("0")
    expect(unit.locator("#follow-ups-overdue")).to_have_count(0)
