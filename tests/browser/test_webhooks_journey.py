"""Webhooks as a unit's manager meets them: subscribe an endpoint (a real HTTP receiver), copy the secret
shown once, see a report arrive signed in the delivery log, rotate the secret."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ungcuu.incidents.models import IncidentReport
from ungcuu.incidents.services import ReportInput, submit_report
from ungcuu.webhooks.models import Delivery, Subscription
from ungcuu.webhooks.tests.receiver import Receiver, serve

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    rx = Receiver()
    server = serve(rx)
    yield rx
    server.shutdown()
    server.server_close()


def test_manager_subscribes_and_reads_the_delivery_log(new_context, manager, health_dept, receiver, shot):
    page = log_in(new_context(), manager)
    page.locator("nav.mainnav details.usermenu summary").click()
    page.locator("nav.mainnav").get_by_role("link", name="Webhook", exact=True).click()
    page.wait_for_url("/webhooks/")
    page.get_by_role("link", name="Đăng ký mới").click()
    page.get_by_label("Tên").fill("SIEM của Sở")
    page.get_by_label("Địa chỉ nhận (URL)").fill(receiver.url)
    page.get_by_label("Thông báo sự cố").check()
    page.get_by_label("Sự cố thay đổi").check()
    shot(page, "1-form")
    page.get_by_role("button", name="Lưu").click()
    secret = page.locator("#webhook-secret").input_value()
    assert secret.startswith("whsec_")
    shot(page, "2-secret-once")
    receiver.secret = secret

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
    assert len(receiver.accepted) == 1 and receiver.refused == []
    page.get_by_role("link", name="Tôi đã sao chép").click()
    expect(page.locator("#delivery-table")).to_contain_text(
        "Đã chuyển đến"
    )  # "Delivered", as the federation outbox says it
    expect(page.locator("#delivery-table")).to_contain_text("HTTP 200")
    expect(page.locator("body")).not_to_contain_text(secret)
    shot(page, "3-delivery-log")

    page.get_by_role("button", name="Đổi khóa bí mật").click()
    rotated = page.locator("#webhook-secret").input_value()
    assert rotated != secret and Subscription.objects.get().secret == rotated
    shot(page, "4-rotated")
    assert Delivery.objects.get().state == Delivery.State.DELIVERED
