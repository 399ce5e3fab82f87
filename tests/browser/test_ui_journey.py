"""Issue 15, input, language, density: each point at desktop (1366 px) and phone (390 px) width.

Screenshots go to screenshots/ui-<test>-<width>-<step>.png (and /tmp/shots/ui/ when it exists) so that a
person looks at them; wording is asserted through the compiled catalogue (`_vi`).
"""

import datetime
import re
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from ungcuu.incidents.tests.factories import reported
from ungcuu.obligations import engine
from ungcuu.obligations.models import ObligationDefinition, Occurrence
from ungcuu.obligations.seed import seed_definitions
from ungcuu.organizations.models import Kind, Organization
from ungcuu.systems import services as systems

from .conftest import SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
LOOKED_AT = Path("/tmp/shots/ui")


def _vi(text) -> str:
    with translation.override("vi"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _camera(name: str, viewport: dict):
    def take(page: Page, step: str, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"ui-{name}-{viewport['width']}-{step}.png"
        page.screenshot(path=path, full_page=full_page)
        if LOOKED_AT.is_dir():
            shutil.copy(path, LOOKED_AT / path.name)

    return take


def _answer(page: Page) -> None:
    a, b = (int(n) for n in re.findall(r"\d+", page.locator("label[for=id_answer]").inner_text())[:2])
    page.fill("#public-report [name=answer]", str(a + b))


# --- 1 and 2. Input and feedback ---------------------------------------------------------------------


@WIDTHS
def test_a_person_correcting_a_mistyped_phone_is_not_refused_as_a_robot(new_context, viewport):
    """The real minimum fill time (3 s) counts from the first showing: the phone "abc" is refused next
    to its field with everything kept (the answer too), and sending again at once goes through."""
    cache.clear()
    shot = _camera("public-form", viewport)
    page = new_context(viewport=viewport).new_page()
    page.goto("/report/")
    form = page.locator("#public-report")
    form.locator("[name=reporter_name]").fill("Trần Văn Bình")
    form.locator("[name=reporter_phone]").fill("abc")
    form.locator("[name=system_text]").fill("https://hoalu.ninhbinh.gov.vn")
    form.locator("[name=description]").fill("Trang chủ hiện dòng chữ 'hacked by'.")
    detected = timezone.localtime(timezone.now() - datetime.timedelta(minutes=30))
    form.locator("[name=detected_at]").fill(detected.strftime("%Y-%m-%dT%H:%M"))
    _answer(page)
    page.wait_for_timeout(3_100)  # a person takes longer than the minimum to fill the form in
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.locator("button[type=submit]").click()
    assert posted.value.status == 400
    phone = page.locator(".field.has-error", has=page.locator("[name=reporter_phone]"))
    expect(phone.locator(".error")).to_have_text(_vi("A phone number has only digits, spaces and + ( ) . -"))
    expect(form.locator("[name=reporter_name]")).to_have_value("Trần Văn Bình")
    expect(form.locator("[name=reporter_phone]")).to_have_value("abc")
    expect(form.locator("[name=answer]")).not_to_have_value("")  # the right answer stays
    shot(page, "01-phone-refused")
    form.locator("[name=reporter_phone]").fill("0987 111 222")
    form.locator("button[type=submit]").click()  # at once: no "sent too fast"
    page.wait_for_url("/report/thanks/")
    shot(page, "02-sent")


# --- 4. Density and look: the menu, references, skip link and focus ------------------------------------


@WIDTHS
def test_menu_keeps_one_line_references_do_not_break_and_the_skip_link_leads_to_the_content(
    new_context, viewport, coordinator, manager, health_dept
):
    for n in range(3):
        reported(manager, health_dept, f"Máy chủ thư điện tử bị dò mật khẩu lần {n + 1}")
    shot = _camera("menu", viewport)
    page = log_in(new_context(viewport=viewport), coordinator)
    nav = page.locator("nav.mainnav")
    shot(page, "01-dashboard")
    if viewport is DESKTOP:
        tops = nav.evaluate("n => [...n.children].filter(c => c.offsetParent).map(c => c.offsetTop)")
        assert max(tops) - min(tops) < 10, tops  # one line, not two
        bar = page.locator("header.topbar").bounding_box()
        assert bar and bar["height"] < 60
    for ref in page.locator("main td a code").all():
        box = ref.bounding_box()
        assert box and box["height"] < 30, ref.inner_text()  # one line: the number does not break
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.keyboard.press("Tab")  # the first stop is the skip link, visible when focused
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text(_vi("Skip to the main content"))
    assert skip.bounding_box()["y"] >= 0
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    shot(page, "02-skip-link-focused", full_page=False)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the content, past the menu
    assert page.evaluate("!!document.activeElement.closest('main')")

    if viewport is DESKTOP:
        page.locator("details.usermenu summary").click()
        expect(page.locator(".usermenu-items").get_by_role("link", name=_vi("Audit trail"))).to_be_visible()
        shot(page, "03-user-menu", full_page=False)


@WIDTHS
def test_inbox_shows_one_line_each_unread_first_and_marks_read_in_place(
    new_context, viewport, coordinator, manager, health_dept
):
    for n in range(4):
        reported(manager, health_dept, f"Cổng dịch vụ công bị tấn công từ chối dịch vụ đợt {n + 1}")
    shot = _camera("inbox", viewport)
    page = log_in(new_context(viewport=viewport), coordinator)
    if viewport is PHONE:
        page.locator("label.nav-toggle-label").click()
    page.locator("a.bell").click()
    page.wait_for_url("/notifications/")
    rows = page.locator("#inbox li.notification")
    expect(rows).to_have_count(4)
    line = 60 if viewport is PHONE else 40  # a phone puts the actions under the subject
    for row in rows.all():
        assert row.bounding_box()["height"] < line  # one line, not the whole e-mail
        assert row.locator(".note-subject").bounding_box()["width"] > viewport["width"] * 0.4  # readable
    shot(page, "01-unread")

    rows.nth(2).get_by_role("button", name=_vi("Mark read")).click()  # htmx: no page load
    expect(page.locator("#inbox li.notification.unread")).to_have_count(3)
    expect(page.locator("#notification-badge")).to_have_text("3")
    page.reload()  # unread first: the one read goes to the bottom
    expect(page.locator("#inbox li.notification").last).not_to_have_class(re.compile("unread"))
    page.locator("#inbox li.notification summary").first.click()  # the body folds open
    expect(page.locator("#inbox .note-body").first).to_be_visible()
    shot(page, "02-one-read-body-open")

    page.get_by_role("button", name=_vi("Mark all read")).click()
    expect(page.locator("#inbox li.notification.unread")).to_have_count(0)
    expect(page.locator("#notification-badge")).to_have_text("")
    shot(page, "03-all-read")


@WIDTHS
def test_calendar_at_province_scale_groups_a_duty_into_one_chip_with_a_legend(
    new_context, viewport, coordinator, province
):
    """Twelve units owe the yearly live-fire drill on the same day: one chip "12 …", not twelve."""
    seed_definitions(ObligationDefinition)  # a transactional test's flush removed the migration's rows
    ObligationDefinition.objects.exclude(code="LIVE_FIRE_DRILL").update(active=False)
    for n in range(12):
        unit = Organization.objects.create(
            code=f"XA-{n:02d}", name=f"UBND xã số {n + 1}", kind=Kind.COMMUNE, parent=province
        )
        systems.register_system(
            actor=coordinator,
            name=f"Cổng thông tin xã {n + 1}",
            owner=province,
            operator=unit,
            security_level=3,
        )
    today = timezone.localdate()
    engine.generate_occurrences(since=datetime.date(today.year - 1, 1, 1), until=today, now=today)
    engine.run_obligations(now=today)
    due = datetime.date(today.year - 1, 12, 31)
    assert Occurrence.objects.filter(due_on=due).count() == 12
    shot = _camera("calendar", viewport)
    page = log_in(new_context(viewport=viewport), coordinator)
    page.goto(f"/obligations/?month={due:%Y-%m}")
    chip = page.locator("details.duty")
    expect(chip).to_have_count(1)
    expect(chip.locator(".count")).to_have_text("12")
    expect(page.locator(".cal-legend")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, "01-grouped")
    chip.locator("summary").click()
    expect(chip.locator("a.item")).to_have_count(12)
    shot(page, "02-opened")


# --- 3. Language: one word per state, one date format, the empty choice --------------------------------


@WIDTHS
def test_one_wording_per_state_one_date_format_and_a_vietnamese_empty_choice(
    new_context, viewport, coordinator, manager, health_dept
):
    incident = reported(manager, health_dept, "Trang thông tin bị chèn mã độc")
    shot = _camera("language", viewport)
    page = log_in(new_context(viewport=viewport), coordinator)
    status = page.locator("main .status").first
    expect(status).to_have_text("Chờ xác nhận tiếp nhận")  # the glossary's word for "logged"
    expect(page.locator("main")).not_to_contain_text("Đã ghi nhận")
    shot(page, "01-dashboard-status")

    page.goto("/notifications/")
    when = timezone.localtime(incident.created_at).strftime("%d/%m/%Y %H:%M")
    expect(page.locator("#inbox .note-time").first).to_have_text(when)

    page.goto("/incidents/report/")
    empty = page.locator("select[name=system] option").first
    expect(empty).to_have_text("— Chọn —")
    assert "---------" not in page.content() and "Select an option" not in page.content()
    shot(page, "02-form-empty-choice", full_page=False)

    page.goto("/obligations/definitions/")
    expect(page.locator("main")).to_contain_text("20/06, 15/12")
    header = page.locator("main table th").first
    assert header.evaluate("e => getComputedStyle(e, '::first-letter').textTransform") == "uppercase"

    if viewport is PHONE:
        page.locator("label.nav-toggle-label").click()
    page.locator("form.lang button").click()  # English: the same numeric date, its own empty choice
    page.goto("/incidents/report/")
    expect(page.locator("select[name=system] option").first).to_have_text("— Choose —")
    page.goto("/notifications/")
    expect(page.locator("#inbox .note-time").first).to_have_text(when)
    shot(page, "03-english-inbox")
