"""A province moves in: the coordinator uploads the registry workbook the specialised unit has kept for
years, sees its errors row by row, fixes the file, applies it, and exports the same workbook back."""

import pytest
from playwright.sync_api import Page, expect

from ungcuu.onboarding.tests.workbooks import province as province_rows
from ungcuu.onboarding.tests.workbooks import xlsx
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A dry run of a few hundred rows goes through the registry's services row by row: seconds, not the
# 5 s a plain page step may take on this shared machine.
IMPORT_MS = 60_000


def _upload(page: Page, name: str, content: bytes) -> None:
    page.goto("/onboarding/import/")
    page.set_input_files("[name=file]", files=[{"name": name, "mimeType": XLSX, "buffer": content}])
    page.click("#import-preview", timeout=IMPORT_MS)  # the click waits for the dry run's navigation
    expect(page.locator("#import-counts")).to_be_visible(timeout=IMPORT_MS)


def test_coordinator_imports_fixes_applies_and_exports_the_registry(new_context, coordinator, shot):
    page = log_in(new_context(), coordinator)
    page.goto("/organizations/")
    page.get_by_role("link", name="Nhập / xuất danh mục").click()
    expect(page.locator("h1")).to_have_text("Nhập danh mục")
    orgs_before, systems_before = Organization.objects.count(), InformationSystem.objects.count()

    # 62 organizations (the People's Committee, 61 departments and communes), 183 systems, 4 bad rows.
    _upload(page, "danh-muc-tinh.xlsx", xlsx(province_rows(orgs=62, systems_per_org=3, errors=True)).read())
    rows = page.locator("#import-errors tbody tr.outcome-error")
    expect(rows).to_have_count(4)
    expect(rows.filter(has_text="Hệ thống mồ côi")).to_contain_text(
        "không có trong tệp và chưa có trên hệ thống"
    )
    expect(rows.filter(has_text="Hệ thống cấp sai")).to_contain_text("không nằm trong khoảng 1 đến 5")
    expect(rows.filter(has_text="Hệ thống IP sai")).to_contain_text("203.0.113.300")
    expect(rows.filter(has_text="Sở Thử nghiệm số 1")).to_contain_text("Trùng đơn vị với dòng")
    expect(page.locator("#apply-all")).to_have_count(0)  # a file with errors is not applied whole
    shot(page, "01-preview-with-errors")
    assert (Organization.objects.count(), InformationSystem.objects.count()) == (orgs_before, systems_before)

    # The specialised unit fixes the file (the bad rows corrected or removed) and uploads it again.
    fixed = xlsx(province_rows(orgs=62, systems_per_org=3)).read()
    _upload(page, "danh-muc-tinh-da-sua.xlsx", fixed)
    expect(page.locator("#import-errors")).to_have_count(0)
    expect(page.locator("#import-rows tbody tr")).to_have_count(306)
    expect(page.locator("#import-counts")).to_contain_text(
        "306 mới"
    )  # 62 organizations + 61 focal points + 183 systems
    shot(page, "02-preview-clean")
    page.click("#apply-all", timeout=IMPORT_MS)
    expect(page.locator(".msg-success")).to_contain_text("Đã nhập", timeout=IMPORT_MS)
    assert Organization.objects.count() == orgs_before + 62
    assert InformationSystem.objects.count() == systems_before + 183

    with page.expect_download() as download:
        page.click("#export-link")
    exported = open(download.value.path(), "rb").read()  # noqa: SIM115 a temporary file Playwright owns

    _upload(page, "xuat-lai.xlsx", exported)
    expect(page.locator("#import-nothing")).to_be_visible()
    shot(page, "03-reimport-of-the-export")
