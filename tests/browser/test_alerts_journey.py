"""Monitoring alerts as the coordinator meets them: a unit's SIEM posts alerts to the live server's API,
the coordinator opens the alert groups, one group, promotes it, and lands on the new incident."""

import datetime
import json
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ungcuu.accounts.tokens import create_token
from ungcuu.alerts.models import AlertGroup
from ungcuu.incidents.models import Incident
from ungcuu.systems import services as systems

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _send(live_server, token: str, alerts: list[dict]) -> dict:
    request = urllib.request.Request(  # noqa: S310 (http to the test's own live server)
        f"{live_server.url}/api/v1/alerts/",
        data="\n".join(json.dumps(a) for a in alerts).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/x-ndjson"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the test's own server)
        return json.loads(response.read())


def test_coordinator_promotes_an_alert_group_to_an_incident(
    new_context, coordinator, manager, health_dept, live_server, shot
):
    portal = systems.register_system(
        actor=manager,
        name="Cổng thông tin Sở Y tế",
        owner=health_dept,
        operator=health_dept,
        security_level=3,
        public_ips=["203.0.113.25"],
        domains=["syt.example.gov.vn"],
    )
    now = timezone.now()
    brute = {
        "source": "wazuh",
        "dedup_key": "5712:203.0.113.25",
        "severity": "high",
        "title": "Dò mật khẩu SSH vào cổng thông tin",
        "message": "Hơn 300 lần đăng nhập sai từ 198.51.100.23",
        "host": "203.0.113.25",
        "observables": [{"type": "ip", "value": "198.51.100.23"}],
    }
    scan = {**brute, "dedup_key": "scan", "severity": "low", "title": "Quét cổng từ bên ngoài", "host": ""}
    alerts = [
        {**brute, "detected_at": (now - datetime.timedelta(minutes=m)).isoformat()} for m in (30, 20, 10)
    ]
    alerts.append({**scan, "detected_at": (now - datetime.timedelta(minutes=5)).isoformat()})
    answer = _send(live_server, create_token(actor=manager, name="Wazuh")[1], alerts)
    assert answer["accepted"] == 4

    page = log_in(new_context(), coordinator)
    page.locator("nav.mainnav details.usermenu summary").click()
    page.locator("nav.mainnav").get_by_role("link", name="Cảnh báo giám sát").click()
    page.wait_for_url("/alerts/")
    table = page.locator("#alert-groups")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Dò mật khẩu SSH vào cổng thông tin")
    shot(page, "01-alert-groups")

    page.select_option("#id_severity", label="Cao")
    expect(table.locator("tbody tr")).to_have_count(1)
    table.get_by_role("link", name="Dò mật khẩu SSH vào cổng thông tin").click()
    group = AlertGroup.objects.get(dedup_key="5712:203.0.113.25")
    page.wait_for_url(f"/alerts/{group.pk}/")
    expect(page.locator("#group-count")).to_have_text("3")
    expect(page.locator("main")).to_contain_text("Cổng thông tin Sở Y tế")  # matched by its address
    expect(page.locator("main")).to_contain_text("198.51.100.23")
    shot(page, "02-alert-group")

    page.click("#promote")
    incident = Incident.objects.get()
    page.wait_for_url(f"/incidents/{incident.pk}/")
    expect(page.locator("main")).to_contain_text(incident.reference)
    expect(page.locator("main")).to_contain_text("[wazuh] Dò mật khẩu SSH vào cổng thông tin")
    expect(page.locator(".messages")).to_contain_text(f"Đã mở sự cố {incident.reference}")
    assert incident.system == portal
    shot(page, "03-incident")

    page.goto(f"/alerts/{group.pk}/")
    expect(page.locator("#group-status")).to_have_text("Đã chuyển thành sự cố")
    expect(page.locator("#promote")).to_have_count(0)
    expect(page.locator("#group-incident")).to_have_text(incident.reference)
    shot(page, "04-promoted-group")
