"""Issue 6's "done when", in Debian's chromium against the live server.

The coordinator imports the OpenVAS report of the Sở Y tế portal, writes an advisory about the Apache
Tomcat flaw it shows, checks the organizations the registry proposes (the units running Tomcat in the
affected range, not the one already patched) and publishes it. Sở Y tế's manager acknowledges and marks
the portal remediated; the matrix shows the coordinator who did what; the official dispatch downloads
with its recipients.

Wording is asserted only through the compiled catalogue (`_vi`); everything else is found by id, name,
data attribute or URL.
"""

import datetime
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone, translation
from docx import Document
from playwright.sync_api import Page, expect

from ungcuu.advisories.models import Advisory, AdvisorySystemState, AdvisoryTarget
from ungcuu.organizations.models import Kind, Organization
from ungcuu.systems import services as systems

from .conftest import SCREENSHOTS, log_in

LOOKED_AT = Path("/tmp/shots/ui")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SAMPLE = Path(__file__).resolve().parents[2] / "ungcuu/vulnerabilities/tests/samples/openvas_portal.xml"
TITLE = "Lỗ hổng thực thi mã từ xa trong Apache Tomcat (CVE-2025-24813)"
ADVISORY_URL = re.compile(r"/advisories/(\d+)/$")
TARGETS_URL = re.compile(r"/advisories/(\d+)/targets/$")
SCAN_URL = re.compile(r"/vulnerabilities/scans/\d+/$")

Shot = Callable[[Page, str], None]


def _vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def _camera(prefix: str) -> Shot:
    def take(page: Page, step: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{prefix}-{step}.png", full_page=True)

    return take


def _tomcat(version: str) -> list[dict]:
    return [
        {"vendor": "Apache", "product": "Tomcat", "version": version},
        {"vendor": "Nginx", "product": "nginx", "version": "1.22.1"},
    ]


# --- The province's cast: Sở Y tế and the public-service centre run Tomcat 9.0.x; Sở Tài chính has
# already moved to a fixed 10.1 release. `coordinator`, `manager` (Sở Y tế) and `outsider` (Sở Tài
# chính) come from conftest.py.


@pytest.fixture
def service_centre(province) -> Organization:
    return Organization.objects.create(
        code="TT-PVHCC", name="Trung tâm Phục vụ hành chính công tỉnh", kind=Kind.OPERATOR, parent=province
    )


@pytest.fixture
def health_portal(manager, health_dept, province, health_contact):
    return systems.register_system(
        actor=manager,
        name="Cổng thông tin điện tử Sở Y tế",
        owner=province,
        operator=health_dept,
        security_level=3,
        public_ips=["203.0.113.10"],
        domains=["alpha.example.gov.vn"],
        software=_tomcat("9.0.65"),
    )


@pytest.fixture
def public_services(coordinator, service_centre, province):
    return systems.register_system(
        actor=coordinator,
        name="Cổng dịch vụ công trực tuyến",
        owner=province,
        operator=service_centre,
        security_level=3,
        software=_tomcat("9.0.80"),
    )


@pytest.fixture
def budget_system(outsider, finance_dept, province):
    return systems.register_system(
        actor=outsider,
        name="Hệ thống quản lý ngân sách",
        owner=province,
        operator=finance_dept,
        security_level=3,
        software=_tomcat("10.1.40"),
    )


# --- The steps ----------------------------------------------------------------------------------------


def _import_scan(page: Page, health_dept: Organization, portal, shot: Shot) -> None:
    """The coordinator imports the portal's OpenVAS report: its Tomcat findings land on the portal."""
    page.goto("/vulnerabilities/")
    form = page.locator("#scan-upload")
    form.locator("[name=organization]").select_option(str(health_dept.pk))
    form.locator("[name=file]").set_input_files(str(SAMPLE))
    shot(page, "01-scan-upload")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    landed = SCAN_URL.search(page.url)
    assert landed, (
        f"the import did not reach the scan page: {page.url}: {page.locator('body').inner_text()[:200]}"
    )
    expect(page.locator("#scan-summary")).to_be_visible()
    expect(page.locator("main")).to_contain_text(portal.name)  # the host was matched by its public IP
    shot(page, "02-scan-imported")


def _write_advisory(page: Page, shot: Shot) -> None:
    page.goto("/advisories/")
    page.click("#new-advisory")
    page.wait_for_url("/advisories/new/")
    form = page.locator("#advisory-form")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=summary]").fill(
        "Lỗ hổng trong cơ chế PUT từng phần của Apache Tomcat cho phép thực thi mã từ xa khi máy chủ bật "
        "ghi cho servlet mặc định. Lần quét OpenVAS ngày 14/3 phát hiện lỗ hổng trên cổng thông tin Sở Y tế."
    )
    form.locator("[name=cve_ids]").fill("CVE-2025-24813")
    form.locator("[name=products]").fill("Apache; Tomcat; >=9.0.0,<9.0.99")
    form.locator("[name=recommended_actions]").fill(
        "Cập nhật Apache Tomcat lên phiên bản 9.0.99 trở lên.\n"
        "Tắt quyền ghi của servlet mặc định (readonly=true) trong khi chờ cập nhật."
    )
    deadline = timezone.localtime() + datetime.timedelta(days=7)
    form.locator("[name=deadline]").fill(deadline.strftime("%Y-%m-%dT17:00"))
    form.locator("[name=tlp]").select_option(Advisory.Tlp.AMBER.value)
    form.locator("[name=dispatch_number]").fill("125/SKHCN-CNTT")
    form.locator("[name=indicators]").fill("hxxp://203.0.113[.]66/upload.jsp\n198.51.100.200")
    shot(page, "03-advisory-form")
    form.locator("button[type=submit]").click()
    page.wait_for_url(TARGETS_URL)


def _check_targets(page: Page, health_portal, public_services, budget_system, shot: Shot) -> None:
    """The registry proposes the two Tomcat 9.0.x systems, not the patched 10.1; the coordinator agrees."""
    proposed = page.locator("#targets-form fieldset.proposal")
    expect(proposed).to_have_count(2)
    expect(page.locator(f"#targets-form [name=systems][value='{health_portal.pk}']")).to_be_checked()
    expect(page.locator(f"#targets-form [name=systems][value='{public_services.pk}']")).to_be_checked()
    expect(page.locator(f"#targets-form input[name=systems][value='{budget_system.pk}']")).to_have_count(0)
    shot(page, "04-proposed-targets")
    page.click("#save-targets")
    page.wait_for_url(ADVISORY_URL)


def _publish(page: Page, shot: Shot) -> None:
    expect(page.locator("#advisory-status")).to_have_attribute("data-status", "draft")
    page.click("#publish")
    page.wait_for_url(ADVISORY_URL)
    expect(page.locator("#advisory-status")).to_have_attribute("data-status", "published")
    expect(page.locator("#matrix-table tbody tr")).to_have_count(2)
    shot(page, "05-published")


def _unit_answers(page: Page, target: AdvisoryTarget, state: AdvisorySystemState, shot: Shot) -> None:
    """Sở Y tế's manager acknowledges, then reports the portal remediated, both as htmx swaps."""
    page.goto("/advisories/")
    card = page.locator(f"#target-{target.pk}")
    expect(card).to_contain_text(TITLE)
    shot(page, "06-unit-advisories")
    page.evaluate("window.__samePage = true")
    card.locator(f"#acknowledge-{target.pk} button").click()
    expect(page.locator(f"#target-{target.pk} #acknowledge-{target.pk}")).to_have_count(0)
    expect(page.locator(f"#target-status-{target.pk}")).to_have_text(_vi("Acknowledged"))
    row = page.locator(f"#target-{target.pk} #state-{state.pk}")
    row.locator("select[name=status]").select_option(AdvisorySystemState.State.REMEDIATED.value)
    row.locator("input[name=note]").fill(
        "Đã cập nhật Tomcat 9.0.99 ngày hôm nay, quét lại không còn lỗ hổng."
    )
    row.locator("button").click()
    expect(page.locator(f"#state-{state.pk} .system-state")).to_have_attribute("data-state", "remediated")
    expect(page.locator(f"#target-status-{target.pk}")).to_have_text(_vi("Completed"))
    assert page.evaluate("window.__samePage") is True
    shot(page, "07-unit-remediated")


def _unit_sees_only_its_row(page: Page, target: AdvisoryTarget, shot: Shot) -> None:
    page.goto("/advisories/matrix/")
    expect(page.locator("#matrix-grid tbody tr")).to_have_count(1)
    expect(page.locator(f"#matrix-cell-{target.pk}")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Trung tâm Phục vụ hành chính công")
    shot(page, "08-unit-matrix")


def _matrix_shows_it(
    page: Page, advisory: Advisory, done: AdvisoryTarget, pending: AdvisoryTarget, shot: Shot
):
    # Every advisory: organisations × advisories, one cell per target, its state as a mark and a colour.
    for width, name in ((1366, "09a-matrix-grid-desktop"), (390, "09b-matrix-grid-phone")):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto("/advisories/matrix/")
        expect(page.locator("#matrix-grid thead th.adv")).to_have_count(1)
        expect(page.locator(f"#matrix-cell-{done.pk}")).to_have_attribute("data-status", "completed")
        expect(page.locator(f"#matrix-cell-{pending.pk}")).to_have_attribute("data-status", "sent")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, name)
        if LOOKED_AT.is_dir():
            page.screenshot(path=LOOKED_AT / f"ui-advisory-{name}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/advisories/matrix/?advisory={advisory.pk}")
    expect(page.locator("#matrix-table tbody tr")).to_have_count(2)
    row = page.locator(f"#matrix-row-{done.pk}")
    expect(row).to_have_attribute("data-status", "completed")
    expect(row.locator(".ack .badge.ok")).to_be_visible()
    expect(row.locator(".system-state")).to_have_attribute("data-state", "remediated")
    other = page.locator(f"#matrix-row-{pending.pk}")
    expect(other).to_have_attribute("data-status", "sent")
    expect(other.locator(".ack .badge.warn")).to_be_visible()
    expect(other.locator(".system-state")).to_have_attribute("data-state", "not_started")
    shot(page, "09-matrix")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot(page, "10-matrix-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the matrix page is {width}px wide on a phone"
    page.set_viewport_size({"width": 1280, "height": 900})


def _download_dispatch(page: Page, advisory: Advisory) -> list[str]:
    page.goto(f"/advisories/{advisory.pk}/")
    with page.expect_download() as download:
        page.click("#dispatch")
    data = Path(download.value.path()).read_bytes()
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return lines


def test_scan_advisory_acknowledgement_and_matrix(
    new_context,
    coordinator,
    manager,
    outsider,
    health_dept,
    service_centre,
    health_portal,
    public_services,
    budget_system,
):
    shot = _camera("advisory")
    # The live server's first page (templates, static finders) can take seconds on a loaded machine, more
    # than a journey step may; it is loaded once here with time to spare.
    new_context().new_page().goto("/accounts/login/", timeout=60_000)
    desk = log_in(new_context(), coordinator)
    # The one thing taken from the scan importer is its sample report; a missing sample fails the journey
    # rather than leaving the import step out unnoticed.
    assert SAMPLE.is_file(), f"the scan sample {SAMPLE} is missing"
    _import_scan(desk, health_dept, health_portal, shot)

    _write_advisory(desk, shot)
    advisory = Advisory.objects.get(title=TITLE)
    assert advisory.cve_ids == ["CVE-2025-24813"]
    assert sorted(advisory.indicators.values_list("value", flat=True)) == [
        "198.51.100.200",
        "http://203.0.113.66/upload.jsp",
    ]
    _check_targets(desk, health_portal, public_services, budget_system, shot)
    _publish(desk, shot)
    advisory.refresh_from_db()
    assert advisory.status == Advisory.Status.PUBLISHED
    done = advisory.targets.get(organization=health_dept)
    pending = advisory.targets.get(organization=service_centre)
    assert not advisory.targets.filter(organization__code="SO-TC").exists()

    unit = log_in(new_context(), manager)
    _unit_answers(unit, done, done.states.get(system=health_portal), shot)
    _unit_sees_only_its_row(unit, done, shot)

    _matrix_shows_it(desk, advisory, done, pending, shot)
    lines = _download_dispatch(desk, advisory)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines and "Số: 125/SKHCN-CNTT" in lines
    # ND30 (issue 14): the addressees stand after "Kính gửi"; "Nơi nhận" says "Như trên" and the filing copy.
    recipients = lines[lines.index("Nơi nhận:") + 1 :]
    assert recipients[0] == "- Như trên;" and "- Lưu: VT." in recipients, recipients
    addressed = " ".join(lines[: lines.index("Nơi nhận:")])
    assert "Sở Y tế" in addressed and "Trung tâm Phục vụ hành chính công tỉnh" in addressed

    stranger = log_in(new_context(), outsider)
    response = stranger.goto(f"/advisories/{advisory.pk}/")
    assert response is not None and response.status == 404
    shot(stranger, "11-outsider-404")

    done.refresh_from_db()
    assert done.status == AdvisoryTarget.Status.COMPLETED and done.acknowledged_by == manager
