"""A long incident list, in Debian's chromium: the count stops at its cap and the list goes on by keyset
(issue 18). The cap and the page size are made tiny so that six incidents show it."""

import datetime

import pytest
import time_machine
from django.utils import timezone, translation
from playwright.sync_api import expect

from ungcuu.core import pagination
from ungcuu.incidents import presenters
from ungcuu.incidents import services as incidents
from ungcuu.systems import services as systems

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = "/tmp/shots/perf"
START = datetime.datetime(2026, 11, 2, 2, 0, tzinfo=datetime.UTC)


def _vi(text: str, **values) -> str:
    with translation.override("vi"):
        return translation.gettext(text) % values if values else translation.gettext(text)


def test_a_capped_incident_list_goes_on_past_its_count(
    new_context, coordinator, manager, health_dept, province, monkeypatch
):
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    monkeypatch.setattr(presenters, "PAGE_SIZES", (2, 50))  # the list's rows-per-page choice (issue 15)
    portal = systems.register_system(
        actor=coordinator, name="Cổng dịch vụ công", owner=province, operator=health_dept, security_level=2
    )
    for n in range(6):
        with time_machine.travel(START + datetime.timedelta(hours=n), tick=False):
            data = incidents.ReportInput(
                channel="form",
                title=f"Sự cố thử số {n}",
                description="Trang chủ hiển thị nội dung lạ",
                detected_at=timezone.now() - datetime.timedelta(hours=1),
                reporter_name="Sở Y tế",
                organization=health_dept,
                system=portal,
            )
            incidents.submit_report(actor=manager, data=data)
    page = log_in(new_context(), coordinator)

    page.goto("/incidents/?page=2")
    expect(page.get_by_text(_vi("More than %(n)s incidents", n=3))).to_be_visible()
    expect(page.get_by_text("Sự cố thử số 3")).to_be_visible()  # the last counted row (5, 4 | 3)
    page.screenshot(path=f"{SHOTS}/incident-list-capped.png", full_page=True)

    page.locator("nav.pager a[href*='after=']").click()
    expect(page.get_by_text(_vi("Older incidents, continued"))).to_be_visible()
    expect(page.get_by_text("Sự cố thử số 2")).to_be_visible()
    expect(page.get_by_text("Sự cố thử số 1")).to_be_visible()
    expect(page.get_by_text("Sự cố thử số 3")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/incident-list-keyset.png", full_page=True)

    page.locator("nav.pager a[href*='after=']").click()
    expect(page.get_by_text("Sự cố thử số 0")).to_be_visible()
    expect(page.locator("nav.pager a[href*='after=']")).to_have_count(0)  # the end of the list
