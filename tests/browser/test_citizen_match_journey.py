"""A citizen reports a defaced portal the commune already reported; the coordinator sees whose system it
is and that it repeats an open incident, and merges it with one confirmed click (issue 15)."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from ungcuu.core import challenge
from ungcuu.incidents.models import Incident, Status

from .conftest import log_in
from .test_incident_journey import (  # noqa: F401 (fixtures)
    DOMAIN,
    PORTAL,
    _answer_question,
    _camera,
    _local_input,
    _vi,
    commune,
    commune_manager,
    portal,
    reported,
)

# ruff: noqa: F811 (the imported fixtures are parameters of the tests)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _citizen_reports(page: Page) -> str:
    page.goto("/report/")
    form = page.locator("#public-report")
    form.locator("[name=reporter_name]").fill("Trần Văn Bình")
    form.locator("[name=reporter_phone]").fill("0987 111 222")
    form.locator("[name=system_text]").fill(f"https://{DOMAIN}/tin-tuc")
    form.locator("[name=description]").fill("Trang chủ hiện dòng chữ 'hacked by' và hình ảnh lạ.")
    form.locator("[name=detected_at]").fill(_local_input(timezone.now() - datetime.timedelta(minutes=20)))
    _answer_question(page)
    form.locator("button[type=submit]").click()
    page.wait_for_url("/report/thanks/")
    return page.locator("main strong.ref").inner_text()


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}])
def test_citizen_report_is_matched_and_merged_into_the_open_incident(
    new_context, coordinator, reported, portal, monkeypatch, viewport
):
    monkeypatch.setattr(challenge, "MIN_AGE_SECONDS", 0)  # a test fills the form faster than a person
    cache.clear()
    shot = _camera(f"citizen-match-{viewport['width']}")
    ref = _citizen_reports(new_context(viewport=viewport).new_page())
    citizen = Incident.objects.get(reference=ref)

    desk = log_in(new_context(viewport=viewport), coordinator)
    desk.goto(f"/incidents/{citizen.pk}/")
    panel = desk.locator("#intake-matches")
    expect(panel.locator("#registry-matches")).to_contain_text(PORTAL)
    expect(panel.locator("#registry-matches")).to_contain_text("Ủy ban nhân dân phường Hoa Lư")
    expect(panel.locator("#registry-matches")).to_contain_text(_vi("domain %(d)s") % {"d": DOMAIN})
    candidates = panel.locator("#duplicate-candidates li")
    expect(candidates).to_have_count(1)
    expect(candidates).to_contain_text(reported.reference)
    # the classification proposes the matched system
    expect(desk.locator("#classify [name=system]")).to_have_value(str(portal.pk))
    shot(desk, "01-matches")

    candidates.locator("summary").click()
    confirm = candidates.locator("button[name=confirm]")
    expect(confirm).to_have_text(_vi("Confirm: merge into %(target)s") % {"target": reported.reference})
    candidates.locator("[name=note]").fill("Cùng vụ thay đổi giao diện cổng phường")
    shot(desk, "02-confirm")
    confirm.click()
    desk.wait_for_url(f"/incidents/{reported.pk}/")
    expect(desk.locator(".msg-success")).to_have_text(_vi("Incidents merged."))
    expect(desk.locator("#timeline")).to_contain_text("Cùng vụ thay đổi giao diện cổng phường")
    expect(desk.locator("main")).to_contain_text("Trần Văn Bình")  # the citizen's report moved here
    shot(desk, "03-merged")
    citizen.refresh_from_db()
    assert citizen.status == Status.MERGED and citizen.merged_into_id == reported.pk
    desk.goto(f"/incidents/{citizen.pk}/")
    expect(desk.locator(".ws-badges")).to_contain_text(reported.reference)
    expect(desk.locator("#intake-matches")).to_have_count(0)  # nothing left to decide
    assert re.search(r"/incidents/\d+/$", desk.url)
