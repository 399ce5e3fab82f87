"""Issue 13 in chromium, in Vietnamese: a report made six days after detection shows "báo cáo muộn" in the
list and on the dashboard, and the coordinator asks the national coordinator for support from the incident
page (S4 Art. 7.1d), which the national coordinator then opens (QĐ05 Art. 11.1a)."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ungcuu.incidents import services
from ungcuu.organizations.models import Kind, Organization

from .conftest import log_in
from .test_incident_journey import commune, commune_manager, portal  # noqa: F401  (fixtures by name)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = Path("/tmp/shots/law")


def _shot(page: Page, step: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{step}.png", full_page=True)


def test_late_report_is_flagged_and_the_coordinator_asks_the_national_coordinator_for_support(
    new_context,
    coordinator,
    commune_manager,  # noqa: F811
    commune,  # noqa: F811
    portal,  # noqa: F811
):
    Organization.objects.create(code="VNCERT", name="VNCERT/CC", kind=Kind.NATIONAL_COORDINATOR)
    incident = services.submit_report(
        actor=commune_manager,
        data=services.ReportInput(
            channel="form",
            title="Cổng phường bị mã hóa dữ liệu",
            description="Dữ liệu trên máy chủ bị mã hóa",
            detected_at=timezone.now() - datetime.timedelta(days=6),
            reporter_name="UBND phường Hoa Lư",
            organization=commune,
            system=portal,
        ),
    ).incident
    page = log_in(new_context(), coordinator)
    expect(page.locator("#tile-reported-late .num")).to_have_text("1")
    _shot(page, "01-dashboard-reported-late")
    page.goto("/incidents/")
    page.locator("[name=reported_late]").check()
    page.locator("main form button").first.click()
    page.wait_for_url("**reported_late=on**")
    expect(page.locator("tbody tr", has_text=incident.reference).locator(".reported-late")).to_have_text(
        "báo cáo muộn"
    )
    _shot(page, "02-list-reported-late")
    page.goto(f"/incidents/{incident.pk}/")
    page.locator("#national-support summary").click()
    page.locator("#national-support [name=reason]").fill("Cần chuyên gia phân tích mã độc mã hóa.")
    page.locator("#national-support button").click()
    expect(page.locator("body")).to_contain_text("Đã đề nghị Cơ quan điều phối quốc gia hỗ trợ.")
    _shot(page, "03-support-requested")
    incident.refresh_from_db()
    assert incident.national_support_requested_at is not None
