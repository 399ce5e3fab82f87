"""Federation as the two coordinators meet it: the province's outbox shows a message waiting while the
national instance is down and delivered once it is back; the national officer reads the incident with
its updates in order and sends a request, which reaches the province's coordination list.

Both sides run in this one live server, switched by the UNGCUU_INSTANCE setting between the steps; the
messages travel through the real endpoint (the loopback transport of the federation unit tests).
"""

import datetime
import socket

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ungcuu.accounts.models import User
from ungcuu.federation import delivery
from ungcuu.federation.models import OutboxMessage, Peer
from ungcuu.federation.tests.conftest import (
    SECRET,
    as_national,
    as_province,
    form05,
    loopback,
    row,
    signed_post,
    statistics_message,
)
from ungcuu.incidents import services
from ungcuu.incidents.models import Status
from ungcuu.organizations.models import Kind, Membership, Organization

from .conftest import _user, log_in, with_authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def dead_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"  # closed again: nothing listens there


@pytest.fixture
def federated(settings, health_dept):
    settings.FEDERATION_INSTANCE, settings.FEDERATION_CODE = "province", "NB"
    settings.FEDERATION_NATIONAL_URL, settings.FEDERATION_NATIONAL_CODE = dead_port(), "VN"
    settings.FEDERATION_NATIONAL_NAME, settings.FEDERATION_SECRET = "Trung tâm VNCERT/CC", SECRET
    Organization.objects.create(code="VNCERT", name="Trung tâm VNCERT/CC", kind=Kind.NATIONAL_COORDINATOR)
    return Peer.objects.create(code="NB", name="Ninh Bình", base_url=dead_port(), secret=SECRET)


@pytest.fixture
def escalated(federated, coordinator, manager, health_dept):
    incident = services.submit_report(
        actor=manager,
        data=services.ReportInput(
            channel="form",
            title="Mã độc mã hoá dữ liệu Bệnh viện tỉnh",
            description="Máy chủ hồ sơ bệnh án bị mã hoá.",
            detected_at=timezone.now() - datetime.timedelta(hours=2),
            reporter_name="Nguyễn Văn Minh",
            organization=health_dept,
        ),
    ).incident
    services.acknowledge(actor=coordinator, incident=incident)
    incident = services.classify(
        actor=coordinator,
        incident=incident,
        category="ATTACK.MALWARE",
        harms=["service_disruption"],
        exceeds_capacity=False,
        override_severity="SERIOUS",
        override_reason="Ngừng dịch vụ khám chữa bệnh",
    )
    incident = services.change_status(actor=coordinator, incident=incident, to=Status.TEAM_CONVENED)
    services.add_entry(actor=coordinator, incident=incident, kind="progress", message="Đã cô lập máy chủ")
    return incident


@pytest.fixture
def officer(transactional_db) -> User:
    return with_authenticator(_user("vncert", "Hải", "Đỗ Minh", platform_role=User.PlatformRole.NATIONAL))


def test_outbox_shows_delivery_and_the_national_request_comes_back(
    new_context, coordinator, officer, escalated, shot, settings
):
    # The worker tried while the national instance was down (a closed port: connection refused).
    delivery.deliver_due()
    page = log_in(new_context(), coordinator)
    page.locator("nav.mainnav details.usermenu summary").click()
    page.locator("nav.mainnav").get_by_role("link", name="Liên thông quốc gia").click()
    page.wait_for_url("/federation/outbox/")
    expect(page.locator("h1")).to_have_text("Hàng đợi gửi liên thông")
    rows = page.locator("#outbox-table tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator(".fed-state[data-state=retrying]")).to_have_count(1)
    expect(page.locator(".fed-state[data-state=retrying]")).to_have_text("Gửi lỗi, sẽ thử lại")
    expect(page.locator("#count-pending")).to_have_text("3")  # later updates wait for the first
    expect(page.locator("#outbox-table")).to_contain_text("Connection refused")
    shot(page, "01-national-down")

    # The national instance is back: the outbox drains in order.
    later = timezone.now() + datetime.timedelta(minutes=1)  # past the first retry's delay
    assert delivery.deliver_due(now=later, transport=loopback(as_national))[0] == 4
    page.reload()
    expect(page.locator(".fed-state[data-state=delivered]")).to_have_count(4)
    expect(page.locator("#count-delivered")).to_have_text("4")
    shot(page, "02-delivered")

    # On the national instance: the incident with its updates, in the province's order.
    settings.FEDERATION_INSTANCE, settings.FEDERATION_CODE = "national", "VN"
    national = log_in(new_context(), officer)
    national.goto("/federation/")
    expect(national.locator("#provinces-table")).to_contain_text("Ninh Bình")
    national.get_by_role("link", name=escalated.reference).click()
    expect(national.locator("h1")).to_contain_text("Mã độc mã hoá dữ liệu Bệnh viện tỉnh")
    updates = national.locator("#national-updates li")
    expect(updates).to_have_count(3)
    expect(updates.last).to_contain_text("Đã cô lập máy chủ")
    national.fill("[name=required_actions]", "Gửi nhật ký máy chủ và mẫu mã độc trong 24 giờ")
    national.get_by_role("button", name="Gửi").nth(1).click()
    expect(national.locator(".msg")).to_contain_text("Đã gửi yêu cầu cho tỉnh.")
    expect(national.locator("#sent-down")).to_contain_text("Yêu cầu điều phối")
    shot(national, "03-national-incident")

    # The request travels down and arrives in the province as a coordination request from VNCERT/CC.
    with as_national():
        later = timezone.now() + datetime.timedelta(minutes=1)
        assert delivery.deliver_due(now=later, transport=loopback(as_province))[0] == 1
    settings.FEDERATION_INSTANCE, settings.FEDERATION_CODE = "province", "NB"
    page.goto("/coordination/")
    page.get_by_role("link", name=f"{escalated.reference}-YC01").click()
    expect(page.locator("main")).to_contain_text("Gửi nhật ký máy chủ và mẫu mã độc trong 24 giờ")
    expect(page.locator("main")).to_contain_text("Trung tâm VNCERT/CC")  # issued by the national body
    shot(page, "04-request-in-province")
    assert OutboxMessage.objects.get(destination="NB").state == OutboxMessage.State.DELIVERED
    assert Membership.objects.filter(user=coordinator).exists()


def test_national_officer_reads_the_form05_the_provinces_sent(new_context, officer, settings, shot):
    settings.FEDERATION_INSTANCE, settings.FEDERATION_CODE = "national", "VN"
    Peer.objects.create(code="NB", name="Ninh Bình", base_url="http://nb.test", secret=SECRET)
    figures = form05(
        "Sở Khoa học và Công nghệ tỉnh Ninh Bình",
        row("ATTACK.MALWARE", "Mã độc", 3, 2, 1, 0, 1, 5_000_000),
        row("ATTACK.DOS", "DoS", 1, 1, 0, 0, 0, 0),
    )
    assert signed_post(statistics_message("NB", "2026-R6", figures)).status_code == 200
    page = log_in(new_context(), officer)
    page.locator("nav.mainnav").get_by_role("link", name="Báo cáo Mẫu 05 đã nhận").click()
    expect(page.locator("h1")).to_have_text("Báo cáo Mẫu 05 đã nhận")
    expect(page.locator("#received-table tbody tr")).to_have_count(1)
    expect(page.locator("nav.mainnav")).not_to_contain_text("Hệ thống thông tin")  # province registers
    shot(page, "01-received")
    page.locator("#received-table").get_by_role("link", name="6 tháng đầu năm 2026").click()
    expect(page.locator("#document")).to_contain_text("Mẫu số 05")
    expect(page.locator("#document")).to_contain_text("5.000.000")
    page.get_by_role("link", name="Tổng hợp toàn quốc kỳ này").click()
    expect(page.locator("#totals-table tr.total")).to_contain_text("4")
    shot(page, "02-totals")
