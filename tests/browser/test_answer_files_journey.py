"""The ISP answers a log-preservation request with its logs attached; a program is refused next to the
field; the coordinator reads the hash and takes a copy, audited (issue 15), at desktop and phone width."""

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ungcuu.audit.models import AuditEvent
from ungcuu.coordination import services as coordination
from ungcuu.coordination.models import AnswerAttachment, CoordinationRequest

from .conftest import log_in
from .test_incident_journey import (  # noqa: F401 (fixtures)
    DOMAIN,
    _camera,
    _vi,
    commune,
    commune_manager,
    isp,
    isp_responder,
    portal,
    reported,
)

# ruff: noqa: F811 (the imported fixtures are parameters of the tests)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LOG = (
    b'203.0.113.77 - - [12/Nov/2026:07:02:11 +0700] "POST /wp-content/plugins/upload.php HTTP/1.1" 200 312\n'
)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}])
def test_isp_answers_with_its_logs_and_coordinator_takes_a_copy(
    new_context, settings, tmp_path, reported, isp, isp_responder, coordinator, viewport
):
    settings.MEDIA_ROOT = tmp_path
    shot = _camera(f"answer-files-{viewport['width']}")
    req = coordination.send_request(
        actor=coordinator,
        incident=reported,
        recipient=isp,
        kind=CoordinationRequest.Kind.ISP_PRESERVE_LOGS,
        required_actions="Đề nghị trích xuất nhật ký truy cập liên quan đến các địa chỉ sau.",
        targets=[DOMAIN, "203.0.113.77"],
    )
    provider = log_in(new_context(viewport=viewport), isp_responder)
    provider.goto(f"/coordination/{req.pk}/")
    form = provider.locator("#answer-form")
    form.locator("[name=outcome]").select_option(CoordinationRequest.Outcome.DONE.value)
    form.locator("[name=answer]").fill("Đã trích xuất nhật ký truy cập ngày 12/11, gửi kèm.")
    form.locator("[name=files]").set_input_files(
        files=[
            {"name": "access.log", "mimeType": "text/plain", "buffer": LOG},
            {"name": "tool.log", "mimeType": "text/plain", "buffer": b"\x7fELF\x02\x01\x01" + b"\x00" * 64},
        ]
    )
    form.locator("button.primary").click()
    field = provider.locator(".field.has-error", has=provider.locator("[name=files]"))
    expect(field.locator(".error")).to_contain_text("tool.log")
    expect(provider.locator("#answer-form [name=answer]")).to_have_value(re.compile("Đã trích xuất"))  # kept
    shot(provider, "01-program-refused")
    assert not AnswerAttachment.objects.exists()

    form = provider.locator("#answer-form")
    form.locator("[name=outcome]").select_option(CoordinationRequest.Outcome.DONE.value)
    form.locator("[name=files]").set_input_files(
        files=[{"name": "access.log", "mimeType": "text/plain", "buffer": LOG}]
    )
    form.locator("button.primary").click()
    expect(provider.locator("#request-status")).to_have_class(re.compile(r"\bstate-answered\b"))
    digest = hashlib.sha256(LOG).hexdigest()
    expect(provider.locator("#answer-files")).to_contain_text(digest)
    shot(provider, "02-answered-with-file")

    desk = log_in(new_context(viewport=viewport), coordinator)
    desk.goto(f"/coordination/{req.pk}/")
    expect(desk.locator("#answer-files")).to_contain_text("access.log")
    shot(desk, "03-coordinator-reads")
    with desk.expect_download() as caught:
        desk.locator("#answer-files").get_by_role("link", name="access.log").click()
    assert caught.value.suggested_filename == "access.log"
    assert Path(caught.value.path()).read_bytes() == LOG
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, actor=coordinator).count() == 1
