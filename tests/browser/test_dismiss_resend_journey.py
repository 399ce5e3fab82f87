"""A unit's manager clears noise and repairs a missed delivery: dismisses an alert group with a reason
(it stays listed with who and why, and a new alert reopens it), then re-sends a failed webhook delivery
from the subscription's log once the receiver is back."""

import datetime
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ungcuu.alerts import services as alert_services
from ungcuu.alerts.models import AlertGroup
from ungcuu.incidents.models import IncidentReport
from ungcuu.incidents.services import ReportInput, submit_report
from ungcuu.webhooks import services as webhook_services
from ungcuu.webhooks.models import Delivery
from ungcuu.webhooks.tests.receiver import Receiver, serve

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
REASON = "Máy quét lỗ hổng định kỳ của Sở, không phải tấn công"


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    rx = Receiver()
    server = serve(rx)
    yield rx
    server.shutdown()
    server.server_close()


def _alert(manager) -> None:
    alert = {
        "source": "wazuh",
        "dedup_key": "scan:203.0.113.25",
        "severity": "low",
        "title": "Quét cổng từ máy quét nội bộ",
        "detected_at": (timezone.now() - datetime.timedelta(minutes=5)).isoformat(),
    }
    body = json.dumps(alert).encode()
    alert_services.ingest_alerts(actor=manager, body=body, content_type="application/json")


def test_manager_dismisses_an_alert_group_and_resends_a_failed_delivery(
    new_context, manager, health_dept, receiver, shot
):
    _alert(manager)
    group = AlertGroup.objects.get()
    page = log_in(new_context(), manager)
    page.goto(f"/alerts/{group.pk}/")
    page.get_by_label("Lý do bỏ qua").fill(REASON)
    shot(page, "1-group-open")
    page.locator("#dismiss").click()
    page.wait_for_url(f"/alerts/{group.pk}/")
    expect(page.locator("#group-status")).to_have_text("Đã bỏ qua")
    expect(page.locator("#dismissal-reason")).to_have_text(REASON)
    expect(page.locator("#dismiss")).to_have_count(0)
    shot(page, "2-group-dismissed")

    _alert(manager)  # the scanner fires again: the same group, open again and counted
    page.reload()
    expect(page.locator("#group-status")).to_have_text("Đang xử lý")  # "Open", as the catalogue says it
    expect(page.locator("#reopened")).to_contain_text("Đã mở lại 1 lần")
    shot(page, "3-group-reopened")

    subscription, receiver.secret = webhook_services.create_subscription(
        actor=manager,
        organization=health_dept,
        name="SIEM của Sở",
        url=receiver.url,
        events=["incident.reported"],
    )
    receiver.fail_next = 1  # the receiver is down when the report is made
    submit_report(
        actor=manager,
        data=ReportInput(
            channel=IncidentReport.Channel.FORM,
            title="Cổng thông tin bị thay đổi giao diện",
            description="Trang chủ bị thay nội dung",
            detected_at=timezone.now() - datetime.timedelta(hours=1),
            reporter_name="Quản Lý",
            organization=health_dept,
        ),
    )
    assert Delivery.objects.get().state == Delivery.State.FAILED and receiver.accepted == []
    page.goto(f"/webhooks/{subscription.pk}/")
    expect(page.locator("#delivery-table")).to_contain_text("HTTP 503")
    shot(page, "4-delivery-failed")
    page.get_by_role("button", name="Gửi lại").click()
    page.wait_for_url(f"/webhooks/{subscription.pk}/")
    expect(page.locator(".messages")).to_contain_text("Đang gửi lại.")
    expect(page.locator("#delivery-table")).to_contain_text("HTTP 200")
    shot(page, "5-delivery-resent")
    assert Delivery.objects.get().state == Delivery.State.DELIVERED and len(receiver.accepted) == 1
