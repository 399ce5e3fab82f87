"""Periodic reports as people use them, in Debian's chromium against the live server (issue 7's "done when").

Sở Y tế had three incidents in the first half of 2026. Its manager starts the 6-month report, writes the
unit's assessment and submits it to the specialised unit. The coordinator opens the consolidation page
for that half, accepts the report, and downloads the province's form 05 as PDF and DOCX; the files are
read back (pdftotext, python-docx) for the Vietnamese title and the attack rows.

Wording is asserted only through the compiled catalogue (`_vi`); everything else is found by id or URL.
"""

import datetime
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import Page, expect

from ungcuu.coordination import services as coordination
from ungcuu.coordination.models import RequestKind
from ungcuu.incidents import services as incidents
from ungcuu.incidents.models import Incident
from ungcuu.organizations.models import Kind, Membership, Organization
from ungcuu.reports.models import PeriodicReport, Status

from .conftest import PASSWORD, SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TZ = datetime.timezone(datetime.timedelta(hours=7))
Shot = Callable[[Page, str], None]


def _vi(text) -> str:
    with translation.override("vi"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _camera(prefix: str) -> Shot:
    def take(page: Page, step: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{prefix}-{step}.png", full_page=True)

    return take


def _at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 9, 0, tzinfo=TZ)


def _report(manager, org, when, category, title) -> Incident:
    data = incidents.ReportInput(
        channel="form",
        title=title,
        description=f"{title}: đã cô lập máy chủ và thu thập nhật ký.",
        detected_at=when - datetime.timedelta(hours=2),
        reporter_name=str(org),
        organization=org,
        category=category,
    )
    with time_machine.travel(when, tick=False):
        return incidents.submit_report(actor=manager, data=data).incident


@pytest.fixture
def isp(transactional_db) -> Organization:
    return Organization.objects.create(code="VNPT-NB", name="VNPT Ninh Bình", kind=Kind.ISP)


@pytest.fixture
def isp_responder(isp):
    from ungcuu.accounts.models import User

    user = User.objects.create_user(
        username="ungcuu.vnpt", password=PASSWORD, first_name="Tuấn", last_name="Hoàng"
    )
    Membership.objects.create(user=user, organization=isp, role=Membership.Role.RESPONDER)
    return user


@pytest.fixture
def first_half(manager, coordinator, health_dept, isp, isp_responder, specialised_unit):
    """Sở Y tế's first half of 2026: a defacement the ISP helped with, a phishing site, a power cut."""
    defaced = _report(
        manager, health_dept, _at(2, 3), "ATTACK.DEFACEMENT", "Trang tin Sở Y tế bị thay đổi giao diện"
    )
    _report(manager, health_dept, _at(3, 12), "ATTACK.SPOOFING", "Trang giả mạo Cổng dịch vụ y tế")
    _report(manager, health_dept, _at(5, 20), "SYSTEM.POWER", "Mất điện phòng máy chủ Sở Y tế")
    with time_machine.travel(_at(2, 3) + datetime.timedelta(hours=2), tick=False):
        request = coordination.send_request(
            actor=coordinator,
            incident=defaced,
            recipient=isp,
            kind=RequestKind.ISP_TAKEDOWN,
            required_actions="Gỡ nội dung, cung cấp nhật ký truy cập.",
        )
        coordination.answer_request(actor=isp_responder, request=request, answer="Đã gỡ.", outcome="done")
    return defaced


def _pdf_lines(content: bytes) -> list[str]:
    binary = shutil.which("pdftotext")
    assert binary, "pdftotext is missing (poppler-utils)"
    text = subprocess.run([binary, "-layout", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode("utf-8")  # fmt: skip
    return [" ".join(line.split()) for line in text.splitlines()]


def _unit_submits(page: Page, shot: Shot) -> PeriodicReport:
    page.goto("/reports/")
    shot(page, "01-reports-index")
    page.locator("main a[href='/reports/periodic/new/']").first.click()
    form = page.locator("#start-form")
    form.locator("[name=kind]").select_option("progress")
    form.locator("[name=span]").select_option("half_year")
    form.locator("[name=year]").select_option("2026")
    form.locator("[name=half]").select_option("1")
    shot(page, "02-start-filled")
    form.locator("button").click()
    page.wait_for_url("**/edit/")
    text = page.locator("#text-form")
    text.locator("[name=narrative]").fill(
        "Trong 6 tháng đầu năm, Sở Y tế đã phối hợp với Sở Khoa học và Công nghệ và VNPT xử lý dứt điểm "
        "sự cố thay đổi giao diện trang tin; đã rà quét lỗ hổng các hệ thống thông tin y tế."
    )
    text.locator("[name=proposals]").fill(
        "Đề nghị tổ chức tập huấn nhận diện trang web giả mạo cho bệnh viện."
    )
    text.locator("[name=document_number]").fill("125/BC-SYT")
    shot(page, "03-assessment-written")
    text.locator("button").click()
    expect(page.locator("#report-status")).to_have_text(_vi(Status.DRAFT.label))
    expect(page.locator("#document")).to_contain_text("Số: 125/BC-SYT")
    shot(page, "04-draft-preview")
    page.locator("#submit-form button").click()
    expect(page.locator("#report-status")).to_have_text(_vi(Status.SUBMITTED.label))
    shot(page, "05-submitted")
    return PeriodicReport.objects.get()


def _coordinator_consolidates(page: Page, report: PeriodicReport, shot: Shot) -> None:
    page.goto("/reports/")
    page.locator("main a[href='/reports/consolidation/']").click()
    page.locator("[name=year]").select_option("2026")
    page.locator("[name=span]").select_option("H1")
    page.locator("main form.filters button").click()
    row = page.locator("#units tr", has_text="Sở Y tế")
    expect(row).to_contain_text(_vi(Status.SUBMITTED.label))
    shot(page, "06-consolidation-submitted")
    row.locator("a").click()
    page.wait_for_url(f"**/reports/periodic/{report.pk}/**")
    expect(page.locator("#document")).to_contain_text("Sở Y tế đã phối hợp")
    shot(page, "07-coordinator-reads")
    page.locator("#accept-form button").click()
    page.wait_for_url("**/reports/consolidation/**")
    expect(page.locator("#units tr", has_text="Sở Y tế")).to_contain_text(_vi(Status.ACCEPTED.label))
    shot(page, "08-accepted")


def _download(page: Page, selector: str) -> bytes:
    with page.expect_download() as caught:
        page.click(selector)
    return Path(caught.value.path()).read_bytes()


def test_unit_submits_and_coordinator_consolidates_and_downloads_form05(
    new_context, manager, coordinator, first_half
):
    shot = _camera("report")
    unit = log_in(new_context(), manager)
    report = _unit_submits(unit, shot)
    assert (
        report.figures["incidents"]["total"] == 3
        and report.figures["incidents"]["form05_total"]["count"] == 2
    )

    desk = log_in(new_context(), coordinator)
    _coordinator_consolidates(desk, report, shot)
    assert PeriodicReport.objects.get().status == Status.ACCEPTED

    pdf = _download(desk, "#form05-pdf")
    assert pdf.startswith(b"%PDF")
    lines = _pdf_lines(pdf)
    assert "BÁO CÁO TỔNG HỢP" in lines and "Mẫu số 05" in lines
    assert "5 Thay đổi giao diện 1 0 1 0 0 0" in lines and "2 Tấn công giả mạo 1 0 0 0 0 0" in lines
    assert "Tổng cộng 2 0 1 0 0 0" in lines

    word = docx.Document(io.BytesIO(_download(desk, "#form05-docx")))
    table = next(t for t in word.tables if "Loại hình tấn công" in t.rows[0].cells[1].text)
    assert [c.text for c in table.rows[5].cells] == ["5", "Thay đổi giao diện", "1", "0", "1", "0", "0", "0"]
    # The units' proposals are addressed to the province: its form 05 to the national coordinator does not
    # carry them (issue 14); the province report lists them instead.
    assert "Đề nghị tổ chức tập huấn" not in "\n".join(p.text for p in word.paragraphs)
    desk.goto("/reports/form05/?year=2026&span=R6")  # TT20 Art. 6: 15/12/2025-14/06/2026
    expect(desk.locator("#document")).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    expect(desk.locator("#damages")).to_contain_text(first_half.reference)  # the damage table, for handlers
    shot(desk, "09-form05-preview")
    desk.goto("/reports/statistics/?year=2026&span=H1")
    expect(desk.locator("#stat-total")).to_have_text("3")
    shot(desk, "10-statistics")


def test_phone_shows_the_report_preview_and_the_statistics(new_context, manager, first_half):
    shot = _camera("report-phone")
    page = log_in(new_context(viewport={"width": 390, "height": 844}, is_mobile=True), manager)
    page.goto("/reports/unit/?year=2026&span=H1")
    expect(page.locator("#document")).to_contain_text("6 tháng đầu năm 2026")
    shot(page, "01-unit-report")
    page.goto("/reports/statistics/?year=2026&span=H1")
    expect(page.locator("#stat-total")).to_have_text("3")
    shot(page, "02-statistics")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "the page must not be wider than the phone"
