"""The incident list at desktop and phone width (issue 15): late rows, sorting, bulk acknowledge."""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from ungcuu.incidents import services as incidents
from ungcuu.incidents.models import Incident, IncidentReport, Status

from .conftest import log_in
from .test_incident_journey import _camera, _vi, commune, commune_manager, portal  # noqa: F401

# ruff: noqa: F811 (the imported fixtures are parameters of the tests)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _report(manager, commune, portal, title: str) -> Incident:
    data = incidents.ReportInput(
        channel=IncidentReport.Channel.FORM,
        title=title,
        description="Trang chủ hiển thị nội dung lạ.",
        detected_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1),
        reporter_name="Đinh Thị Hoa",
        organization=commune,
        system=portal,
    )
    return incidents.submit_report(actor=manager, data=data).incident


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_coordinator_acknowledges_two_reports_from_the_list(
    new_context, width, commune_manager, commune, portal, coordinator
):
    with time_machine.travel(datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=3)):
        late = _report(commune_manager, commune, portal, "Báo cáo cũ chưa ai nhận")
    fresh = _report(commune_manager, commune, portal, "Báo cáo mới")
    shot = _camera(f"incident-list-{'desktop' if width > 800 else 'phone'}")
    page = log_in(new_context(viewport={"width": width, "height": 900}), coordinator)
    page.goto("/incidents/")
    expect(page.locator("#incident-table tr.late")).to_contain_text(late.reference)
    expect(page.locator("label[for=id_status]")).to_be_visible()  # filters are labelled
    shot(page, "01-list")
    with page.expect_response(lambda r: "/incidents/" in r.url and "sort=" in r.url):
        page.locator("#id_sort").select_option("reported_at")
    expect(page.locator("#incident-table tbody tr").first).to_contain_text(late.reference)
    for incident in (late, fresh):
        page.locator(f"#incident-table input[name=ids][value='{incident.pk}']").check()
    page.locator("#bulk-form [name=action]").select_option("acknowledge")
    page.click("#bulk-submit")
    page.wait_for_url("**/incidents/")
    expect(page.locator(".msg-success")).to_contain_text(late.reference)
    rows = page.locator("#incident-table tbody tr")
    expect(rows.filter(has_text=fresh.reference).locator(".status")).to_have_text(
        _vi(Status.ACKNOWLEDGED.label)
    )
    shot(page, "02-acknowledged")
    for incident in (late, fresh):
        incident.refresh_from_db()
        assert incident.status == Status.ACKNOWLEDGED and coordinator in incident.handlers.all()
