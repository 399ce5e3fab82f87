"""The security baseline as a browser sees it: the main pages and htmx work under the
Content-Security-Policy with no violation, and a coordinator searches the audit trail."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from ungcuu.audit.models import AuditEvent
from ungcuu.audit.services import RequestMeta, record_event
from ungcuu.incidents import services as incidents
from ungcuu.systems import services as systems

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Installed through the DevTools protocol, so the page's own policy cannot block the listener itself.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


@pytest.fixture
def confidential(manager, health_dept, province):
    system = systems.register_system(
        actor=manager,
        name="Cổng thông tin điện tử Sở Y tế",
        owner=province,
        operator=health_dept,
        security_level=3,
    )
    data = incidents.ReportInput(
        channel="form",
        title="Lộ dữ liệu hồ sơ bệnh án",
        description="Phát hiện bảng dữ liệu bệnh nhân rao bán trên diễn đàn.",
        detected_at=timezone.now() - datetime.timedelta(hours=2),
        reporter_name="Nguyễn Văn Minh",
        organization=health_dept,
        system=system,
        confidential=True,
    )
    return incidents.submit_report(actor=manager, data=data).incident


def _watched(context: BrowserContext) -> list[str]:
    """Console errors of every page in the context (CSP refusals are reported there too)."""
    context.add_init_script(WATCH_CSP)
    errors: list[str] = []
    context.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def _no_violation(page: Page, errors: list[str]) -> None:
    assert page.evaluate("window.__cspViolations") == [], page.url
    assert [e for e in errors if "Content Security Policy" in e] == [], page.url


def test_main_pages_and_htmx_work_under_the_csp(new_context, coordinator, confidential, shot):
    context = new_context()
    errors = _watched(context)
    page = log_in(context, coordinator)
    expect(page.locator("h1")).to_be_visible()
    _no_violation(page, errors)
    shot(page, "01-dashboard")

    page.goto(f"/incidents/{confidential.pk}/")
    expect(page.locator("h1")).to_contain_text(confidential.reference)
    _no_violation(page, errors)
    shot(page, "02-confidential-incident")

    # htmx: the list filters in place (no page load: the marker set on this window survives).
    page.goto("/incidents/")
    page.evaluate("window.__samePage = true")
    expect(page.locator("#results")).to_contain_text(confidential.reference)
    page.fill("[name=q]", "không-có-sự-cố-nào")
    expect(page.locator("#results")).not_to_contain_text(confidential.reference)
    page.fill("[name=q]", "bệnh án")
    expect(page.locator("#results")).to_contain_text(confidential.reference)
    assert page.evaluate("window.__samePage") is True
    _no_violation(page, errors)

    page.goto("/systems/")
    expect(page.locator("#results")).to_contain_text("Cổng thông tin điện tử Sở Y tế")
    _no_violation(page, errors)
    shot(page, "03-registry")

    for path in ("/reports/statistics/", "/obligations/", "/api/docs/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        _no_violation(page, errors)

    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW_CONFIDENTIAL, actor=coordinator, target_id=str(confidential.pk)
    ).exists()


def test_coordinator_filters_the_audit_trail(new_context, coordinator, manager, confidential, shot):
    record_event(
        actor=None,
        action=AuditEvent.Action.SIGN_IN_FAILED,
        actor_name="quantri",
        request_meta=RequestMeta("203.0.113.66", "python-requests/2.32"),
    )
    context = new_context()
    errors = _watched(context)
    page = log_in(context, coordinator)
    page.goto(f"/incidents/{confidential.pk}/")

    page.locator("nav.mainnav details.usermenu summary").click()  # the less frequent places
    page.locator("nav.mainnav").get_by_role("link", name="Nhật ký truy cập").click()
    page.wait_for_url("/audit/")
    expect(page.locator("h1")).to_have_text("Nhật ký truy cập")
    table = page.locator("#audit-table")
    expect(table).to_contain_text("Mở sự cố mật")
    expect(table).to_contain_text(confidential.reference)
    shot(page, "01-trail")

    page.select_option("[name=action]", label="Đăng nhập thất bại")
    page.click("#audit-filters button")
    page.wait_for_url("**/audit/?*action=sign_in_failed*")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("quantri")
    expect(table).to_contain_text("203.0.113.66")
    expect(page.locator("#audit-export")).to_have_attribute("href", re.compile(r"action=sign_in_failed"))
    _no_violation(page, errors)
    shot(page, "02-failed-sign-ins")

    with page.expect_download() as download:
        page.click("#audit-export")
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and "quantri" in lines[1]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.DOWNLOAD, actor=coordinator, view_name="audit:export"
    ).exists()
