"""A save that meets a busy database, in chromium: the officer's typed form 03 is kept on a Vietnamese
page and one press of "Lưu lại" files it, once, when the database is free again."""

import pytest
from django.db import OperationalError
from django.utils import timezone
from playwright.sync_api import expect

from ungcuu.incidents import services
from ungcuu.incidents.models import Incident

from .conftest import log_in
from .test_incident_journey import (  # noqa: F401  (fixtures used by name below)
    DEFACEMENT,
    TITLE,
    _camera,
    _local_input,
    _vi,
    commune,
    commune_manager,
    portal,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_busy_database_keeps_form03_and_save_again_files_it_once(
    new_context,
    commune,  # noqa: F811
    commune_manager,  # noqa: F811
    portal,  # noqa: F811
    monkeypatch,
):
    shot = _camera("busy-journey")
    busy = {"on": True}
    real_route = services.routing.route

    def route(*args, **kwargs):
        if busy["on"]:
            raise OperationalError("database is locked")
        return real_route(*args, **kwargs)

    monkeypatch.setattr(services.routing, "route", route)
    page = log_in(new_context(), commune_manager)
    page.goto("/incidents/report/")
    form = page.locator("#form03")
    form.locator("[name=reporter_address]").fill("Số 1 đường Tràng An, phường Hoa Lư")
    form.locator("[name=reporter_phone]").fill("0229 3871 234")
    form.locator("[name=contact_name]").fill("Đinh Thị Hoa")
    form.locator("[name=contact_phone]").fill("0912 345 111")
    form.locator("[name=organization]").select_option(str(commune.pk))
    form.locator("[name=system]").select_option(str(portal.pk))
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=detected_at]").fill(_local_input(timezone.now()))
    form.locator("[name=description]").fill("Trang chủ hiển thị khẩu hiệu lạ từ 7 giờ sáng.")
    form.locator("[name=category]").select_option(DEFACEMENT)
    form.locator("[name=handled][value=not_handled]").check()
    form.locator("[name=detection_methods][value=notified]").check()
    form.locator("[name=already_notified][value=network_member]").check()
    form.locator("button[type=submit]").click()

    expect(page.locator("h1")).to_have_text(_vi("The system is busy"))
    page.locator("main details summary").click()  # "what you typed", folded away by default
    expect(page.locator("dl.kept")).to_contain_text(TITLE)
    expect(page.locator("dl.kept")).not_to_contain_text("idempotency_key")
    shot(page, "01-busy-input-kept")
    assert Incident.objects.count() == 0
    busy["on"] = False
    page.locator("#save-again").click()

    page.wait_for_url("**/received/")
    assert Incident.objects.get().title == TITLE
