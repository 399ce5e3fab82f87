"""A mail bomb held back in quarantine: the coordinator releases the genuine message into intake from the
intake log page and discards the rest; each decision shows who took it."""

import pytest
from playwright.sync_api import expect

from ungcuu.incidents.models import Incident
from ungcuu.interop import imap
from ungcuu.interop.models import InboundMessage
from ungcuu.interop.tests.mails import mail

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_releases_one_held_message_and_discards_another(
    new_context, coordinator, mailbox, settings, shot
):
    settings.MAIL_INTAKE_PER_SENDER_PER_HOUR = 1  # the second and third message are held
    sender = "vanthu@soyte.example.gov.vn"
    for subject in ("[TBSC] Mã độc trên máy chủ", "[TBSC] Máy chủ thư bị tấn công", "Quảng cáo"):
        mailbox.deliver(mail(sender=sender, subject=subject))
    imap.poll()
    assert InboundMessage.objects.filter(outcome="quarantined").count() == 2

    page = log_in(new_context(), coordinator)
    page.goto("/interop/mail/?outcome=quarantined")
    table = page.locator("#inbound-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    shot(page, "1-held")

    table.locator("tr", has_text="Máy chủ thư bị tấn công").get_by_role(
        "button", name="Đưa vào tiếp nhận"
    ).click()
    expect(page.locator(".msg-success")).to_be_visible()
    page.goto("/interop/mail/?outcome=quarantined")
    table.locator("tr", has_text="Quảng cáo").get_by_role("button", name="Loại bỏ").click()
    expect(page.locator(".msg-success")).to_be_visible()
    page.goto("/interop/mail/")
    expect(table).to_contain_text("Đã đưa vào tiếp nhận")
    expect(table).to_contain_text("Đã loại bỏ")
    shot(page, "2-decided")

    assert Incident.objects.filter(title="Máy chủ thư bị tấn công").count() == 1
    released = InboundMessage.objects.get(subject="[TBSC] Máy chủ thư bị tấn công")
    assert released.outcome == "created" and released.decided_by == coordinator
