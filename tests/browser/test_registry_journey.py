"""The registry as people use it: a unit registers a system, the specialised unit decides its level.

Each test drives Debian's chromium against the live server. Wording is asserted only where the
Vietnamese catalog already has it; everything else is found by name, id, role or URL.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from ungcuu.organizations.models import FocalPoint, StaffChange
from ungcuu.systems import services as systems
from ungcuu.systems.models import InformationSystem

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SYSTEM_NAME = "Cổng thông tin điện tử Sở Y tế"
OTHER_SYSTEM = "Hệ thống quản lý ngân sách"
DETAIL_URL = re.compile(r"/systems/(\d+)/$")


def _state_is(page: Page, state: str, label: str) -> None:
    badge = page.locator("#dossier-state")
    expect(badge).to_have_class(re.compile(rf"\bstate-{state}\b"))
    expect(badge).to_have_text(label)


def _fill_system_form(page: Page, *, public_ips: str) -> None:
    """Fill the registration form field by field, as the unit's officer would."""
    page.fill("[name=name]", SYSTEM_NAME)
    page.select_option("[name=owner]", label="Ủy ban nhân dân tỉnh Ninh Bình")
    page.select_option("[name=operator]", label="Sở Y tế")
    page.fill("[name=purpose]", "Đăng tải thông tin, tiếp nhận phản ánh của người dân về y tế")
    page.select_option("[name=system_type]", "citizen")
    page.select_option(
        "[name=security_level]", "2"
    )  # levels 1-2: the specialised unit approves (NĐ85 Art. 12)
    page.select_option("[name=hosting]", "provincial_dc")
    page.fill("[name=os_name]", "Ubuntu Server")
    page.fill("[name=os_version]", "22.04")
    page.check("[name=services][value=web]")
    page.check("[name=services][value=database]")
    page.check("[name=controls][value=firewall]")
    page.fill("[name=public_ips]", public_ips)
    page.fill("[name=domains]", "syt.ninhbinh.gov.vn\ndichvucong.syt.ninhbinh.gov.vn")
    page.fill("[name=software_text]", "Microsoft; IIS; 10.0\nOracle; MySQL; 8.0.36\nLiferay; Portal; 7.4")
    page.get_by_label("Phạm Thu Hà (Sở Y tế)").check()
    page.fill("[name=last_vuln_scan_on]", "2026-10-01")


def _register_system(page: Page, shot) -> str:
    """From the menu to a saved system, through one rejected submission; returns the detail URL."""
    page.locator("nav.mainnav").get_by_role("link", name="Hệ thống thông tin").click()
    page.wait_for_url("/systems/")
    shot(page, "01-list-empty")
    page.get_by_role("link", name="Đăng ký hệ thống").click()
    page.wait_for_url("/systems/new/")

    _fill_system_form(page, public_ips="203.0.113.10\n10.0.0.300")
    page.click("#system-form button[type=submit]")
    ip_field = page.locator(".field.has-error", has=page.locator("[name=public_ips]"))
    expect(ip_field.locator(".error")).to_have_text("Địa chỉ IP hoặc dải mạng không hợp lệ: 10.0.0.300")
    expect(page.locator("#system-form [role=alert]")).to_contain_text("Vui lòng sửa các lỗi dưới đây.")
    expect(page.locator("[name=name]")).to_have_value(SYSTEM_NAME)
    shot(page, "02-form-ip-error")
    assert not InformationSystem.objects.filter(name=SYSTEM_NAME).exists()

    page.fill("[name=public_ips]", "203.0.113.10\n203.0.113.0/28")
    page.click("#system-form button[type=submit]")
    page.wait_for_url(DETAIL_URL)
    return page.url


def _check_registered(page: Page, shot) -> None:
    expect(page.locator("h1")).to_have_text(SYSTEM_NAME)
    expect(page.locator(".msg-success")).to_have_text(
        "Đã đăng ký hệ thống; cấp độ đề xuất đang chờ thẩm định."
    )
    _state_is(page, "proposed", "Đã đề xuất")
    for text in ("203.0.113.0/28", "syt.ninhbinh.gov.vn", "Oracle MySQL 8.0.36", "Phạm Thu Hà"):
        expect(page.locator("main")).to_contain_text(text)
    expect(page.locator("#appraise-form")).to_have_count(0)
    shot(page, "03-detail-proposed")
    system = InformationSystem.objects.get(name=SYSTEM_NAME)
    assert system.public_ips == ["203.0.113.10", "203.0.113.0/28"]
    assert system.services == ["web", "database"]
    assert system.software.count() == 3


def _find_by_search(page: Page, shot) -> None:
    """Diacritic-free search through the htmx filter: results swap in, the page does not reload."""
    page.locator("nav.mainnav").get_by_role("link", name="Hệ thống thông tin").click()
    page.wait_for_url("/systems/")
    expect(page.locator("#results")).to_contain_text(OTHER_SYSTEM)
    page.evaluate("window.__samePage = true")
    page.locator("[name=q]").press_sequentially("cong thong tin", delay=20)
    page.wait_for_url(re.compile(r"[?&]q=cong(\+|%20)thong(\+|%20)tin"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name=SYSTEM_NAME)).to_be_visible()
    expect(results).not_to_contain_text(OTHER_SYSTEM)
    assert page.evaluate("window.__samePage") is True
    shot(page, "05-search-htmx")
    results.get_by_role("link", name=SYSTEM_NAME).click()
    page.wait_for_url(DETAIL_URL)


def _decide_level(page: Page, shot) -> None:
    """The coordinator records the appraisal, then approves the level with the decision."""
    page.fill("#appraise-form [name=note]", "Hồ sơ đề xuất cấp độ 2 phù hợp với tiêu chí.")
    page.click("#appraise-form button")
    expect(page.locator(".msg-success")).to_have_text("Đã ghi nhận kết quả thẩm định.")
    _state_is(page, "appraised", "Đã thẩm định")
    shot(page, "06-appraised")

    page.fill("#approve-form [name=decision_number]", "123/QĐ-UBND")
    page.fill("#approve-form [name=decision_date]", "2026-11-20")
    page.click("#approve-form button")
    expect(page.locator(".msg-success")).to_have_text("Đã phê duyệt cấp độ.")
    _state_is(page, "approved", "Đã phê duyệt")
    expect(page.locator("main")).to_contain_text("123/QĐ-UBND")
    expect(page.locator("main")).to_contain_text("20/11/2026")
    shot(page, "07-approved")


def test_unit_registers_system_and_specialised_unit_approves_level(
    new_context, shot, manager, coordinator, outsider, health_contact, finance_system
):
    unit = log_in(new_context(), manager, shot)
    detail_url = _register_system(unit, shot)
    _check_registered(unit, shot)

    desk = log_in(new_context(), coordinator)
    shot(desk, "04-coordinator-dashboard")
    _find_by_search(desk, shot)
    _decide_level(desk, shot)

    unit.reload()
    _state_is(unit, "approved", "Đã phê duyệt")
    expect(unit.locator("main")).to_contain_text("123/QĐ-UBND")
    expect(unit.locator("#approve-form, #appraise-form")).to_have_count(0)
    shot(unit, "08-unit-sees-approved")

    stranger = log_in(new_context(), outsider)
    response = stranger.goto(detail_url)
    assert response is not None and response.status == 404
    expect(stranger.locator("body")).not_to_contain_text(SYSTEM_NAME)
    shot(stranger, "09-outsider-404")


def _open_focal_form(page: Page) -> None:
    page.click("#focal-points details summary")
    expect(page.locator("#focal-points [name=full_name]")).to_be_visible()


def test_english_switch_and_focal_point_added_through_htmx(new_context, shot, manager, health_dept):
    page = log_in(new_context(), manager)
    expect(page.locator("h1")).to_have_text("Tổng quan")
    page.click("button[name=language][value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("nav.mainnav")).to_contain_text("Information systems")
    expect(page.locator("button[name=language][value=vi]")).to_be_visible()
    shot(page, "01-dashboard-english")

    page.click("nav.mainnav a[href='/organizations/']")
    page.get_by_role("link", name="Sở Y tế").click()
    page.wait_for_url(f"/organizations/{health_dept.pk}/")
    expect(page.locator("#focal-points h2")).to_have_text("Focal points")
    page.evaluate("window.__samePage = true")
    _open_focal_form(page)
    page.fill("#focal-points [name=full_name]", "Đỗ Quang Vinh")
    page.fill("#focal-points [name=title]", "Phó Chánh Văn phòng")
    page.select_option("#focal-points [name=duty]", "intake")
    page.fill("#focal-points [name=mobile]", "0987 654 321")
    page.check("#focal-points [name=is_24x7]")
    shot(page, "02-focal-form-filled")
    page.click("#focal-points button.primary")

    expect(page.locator("#focal-points .contacts")).to_contain_text("Đỗ Quang Vinh")
    expect(page.locator("#focal-points .contacts")).to_contain_text("24/7")
    assert page.evaluate("window.__samePage") is True
    shot(page, "03-focal-added")
    focal = FocalPoint.objects.get(full_name="Đỗ Quang Vinh")
    assert focal.organization == health_dept and focal.duty == FocalPoint.Duty.INTAKE
    assert StaffChange.objects.filter(focal_point=focal, change=StaffChange.Change.ADDED).exists()


def test_focal_point_without_contact_shows_the_error(new_context, shot, manager, health_dept):
    page = log_in(new_context(), manager)
    page.goto(f"/organizations/{health_dept.pk}/")
    _open_focal_form(page)
    page.fill("#focal-points [name=full_name]", "Người không liên lạc được")
    # The answer to htmx's POST, then its swap (the CSP forbids the string-evaluated wait used before).
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.click("#focal-points button.primary")
    expect(page.locator("#focal-points [role=alert]")).to_contain_text(
        "Cần cung cấp ít nhất một phương thức liên lạc với người này"
    )
    shot(page, "01-focal-error")
    assert not FocalPoint.objects.filter(organization=health_dept).exists()


def test_phone_renders_dashboard_and_menu_toggles(new_context, shot, manager, health_dept, province):
    systems.register_system(
        actor=manager, name=SYSTEM_NAME, owner=province, operator=health_dept, security_level=3
    )
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = log_in(phone, manager)
    expect(page.locator("a.tile[href='/systems/'] .num")).to_have_text("1")
    expect(page.locator("main")).to_contain_text(SYSTEM_NAME)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    nav = page.locator("nav.mainnav")
    expect(nav).to_be_hidden()
    shot(page, "01-dashboard-menu-closed")

    toggle = page.locator("label.nav-toggle-label")
    toggle.click()
    expect(nav).to_be_visible()
    shot(page, "02-menu-open")
    toggle.click()
    expect(nav).to_be_hidden()
    toggle.click()
    nav.get_by_role("link", name="Hệ thống thông tin").click()
    page.wait_for_url("/systems/")
    expect(nav).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "03-systems-list")
