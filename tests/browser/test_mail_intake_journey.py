"""E-mail in as the coordinator meets it: mail lands in a real IMAP mailbox (dovecot), the worker's poll
runs, and the intake log shows each message's fate; a reply reads on the incident's timeline."""

import pytest
from playwright.sync_api import expect

from ungcuu.incidents.models import Incident
from ungcuu.interop import imap
from ungcuu.interop.tests.mails import PNG, bounce, mail

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_reads_the_intake_log(new_context, coordinator, health_contact, mailbox, shot):
    address = health_contact.email
    mailbox.deliver(
        mail(
            sender=address,
            subject="[TBSC] Cổng thông tin bị thay đổi giao diện",
            attachments=[("man-hinh.png", PNG, "image", "png")],
        )
    )
    mailbox.deliver(bounce())
    mailbox.deliver(
        mail(sender=address, subject="Trả lời tự động", headers={"Auto-Submitted": "auto-replied"})
    )
    for n in range(3):
        mailbox.deliver(mail(sender="bom@example.com", subject=f"Quảng cáo {n}"))
    imap.poll()
    incident = Incident.objects.get(title="Cổng thông tin bị thay đổi giao diện")
    mailbox.deliver(
        mail(sender=address, subject=f"Re: [TBSC] {incident.reference}", text="Đã khôi phục trang chủ.")
    )
    imap.poll()

    page = log_in(new_context(), coordinator)
    page.locator("nav.mainnav details.usermenu summary").click()  # the less frequent places (branch ui)
    page.locator("nav.mainnav").get_by_role("link", name="Hộp thư tiếp nhận").click()
    page.wait_for_url("/interop/mail/")
    table = page.locator("#inbound-table")
    expect(table.locator("tbody tr")).to_have_count(7)
    expect(table.locator(".outcome-created").first).to_contain_text("Đã tạo sự cố")
    expect(table.locator(".outcome-threaded")).to_contain_text(incident.reference)
    expect(table).to_contain_text("Thông báo gửi thư không thành công")
    expect(table).to_contain_text("Thư trả lời tự động")
    expect(table.locator(".outcome-quarantined")).to_contain_text("Người gửi này gửi quá nhiều thư")
    shot(page, "01-intake-log")

    page.select_option("#id_outcome", label="Cách ly")
    page.click("#inbound-filters button")
    page.wait_for_url("**/interop/mail/?outcome=quarantined")
    expect(table.locator("tbody tr")).to_have_count(1)
    shot(page, "02-quarantined")

    page.select_option("#id_outcome", label="Đã bổ sung vào sự cố")
    page.click("#inbound-filters button")
    page.wait_for_url("**/interop/mail/?outcome=threaded")
    table.get_by_role("link", name=incident.reference).click()
    page.wait_for_url(f"/incidents/{incident.pk}/")
    expect(page.locator("body")).to_contain_text("Đã khôi phục trang chủ.")
    expect(page.locator("body")).to_contain_text("man-hinh.png")
    shot(page, "03-incident-with-reply")
